package dev.freshet.registry.mlflow;

import dev.freshet.registry.http.Router;
import dev.freshet.registry.index.ModelRegistry;

/** The MLflow-compatible subset under {@code /api/2.0/mlflow/}. */
public final class MlflowApi {

    static final String BASE = "/api/2.0/mlflow";

    private final ModelRegistry registry;

    public MlflowApi(ModelRegistry registry) {
        this.registry = registry;
    }

    public Router routes(Router r) {
        return r;
    }
}
