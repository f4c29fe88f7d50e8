package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

/** bin/freshet's log configuration loads; a broken one silently drops every log line. */
class LogConfigTest {

    @Test
    void cliLogConfigurationIsValidAndKeepsFreshetAtInfo() throws Exception {
        URL url = FreshetCli.class.getResource("/log4j2-cli.xml");
        assertThat(url).isNotNull();
        try (InputStream in = url.openStream()) {
            // Strict XML first: log4j only prints parse errors to stderr and carries on.
            assertThat(
                            DocumentBuilderFactory.newInstance()
                                    .newDocumentBuilder()
                                    .parse(in)
                                    .getDocumentElement()
                                    .getTagName())
                    .isEqualTo("Configuration");
        }
        try (InputStream in = url.openStream()) {
            XmlConfiguration config = new XmlConfiguration(null, new ConfigurationSource(in, url));
            config.initialize();
            assertThat(config.getLoggerConfig("dev.freshet.cli").getLevel()).isEqualTo(Level.INFO);
            assertThat(config.getLoggerConfig("org.apache.flink.runtime").getLevel())
                    .isEqualTo(Level.WARN);
            assertThat(config.getAppenders()).containsKey("stderr");
        }
    }
}
