import ai.djl.engine.Engine;

/**
 * Run at image build time (docker/Dockerfile, stage natives) as a single-file program: starts the
 * PyTorch engine once so that DJL unpacks, or for a CUDA flavor downloads, its natives into
 * DJL_CACHE_DIR. The image then runs with DJL_OFFLINE=true and finds them there.
 */
public final class DjlNatives {

    private DjlNatives() {}

    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        System.out.println(
                "PyTorch "
                        + engine.getVersion()
                        + " natives in "
                        + System.getenv("DJL_CACHE_DIR")
                        + " (flavor "
                        + System.getenv("PYTORCH_FLAVOR")
                        + ")");
    }
}
