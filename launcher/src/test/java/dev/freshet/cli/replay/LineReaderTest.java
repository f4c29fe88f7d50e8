package dev.freshet.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineReaderTest {

    @TempDir Path tmp;

    @Test
    void splitsOnNewlinesKeepingBytesAndDroppingCarriageReturns() throws IOException {
        Path file = tmp.resolve("f.jsonl");
        Files.write(file, new byte[] {'a', '\r', '\n', (byte) 0xFF, '\n', '\n', 'b'});

        List<byte[]> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(file)) {
            for (byte[] l = reader.next(); l != null; l = reader.next()) {
                lines.add(l);
            }
            assertThat(reader.number()).isEqualTo(4);
        }

        assertThat(lines)
                .containsExactly(
                        new byte[] {'a'}, new byte[] {(byte) 0xFF}, new byte[0], new byte[] {'b'});
    }
}
