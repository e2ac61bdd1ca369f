package org.exbridge.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import javax.sql.DataSource;
import org.exbridge.admin.AdminToken;
import org.exbridge.adminaccount.SecretCipher;
import org.exbridge.directory.Secrets;
import org.exbridge.exchange.ExchangeHttp;
import org.exbridge.exchange.ExchangeSources;
import org.exbridge.exchange.RequestObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import tools.jackson.databind.json.JsonMapper;

/** Wiring: the clock, the data folder's generated credentials, and database-dependent choices. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ExbridgeConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ExbridgeConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  DataFolder dataFolder(@Value("${exbridge.data-dir}") Path dataDir) {
    DataFolder folder = new DataFolder(dataDir);
    folder.secure();
    return folder;
  }

  /**
   * The data folder is made owner-only before the connection pool exists, so that an embedded
   * database is never created in a folder others can read.
   */
  @Bean
  static BeanPostProcessor dataFolderBeforeDatabase(Environment environment) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource) {
          new DataFolder(Path.of(environment.getRequiredProperty("exbridge.data-dir"))).secure();
        }
        return bean;
      }
    };
  }

  /** The database's own files, created when it first opened, become owner-only too. */
  @Bean
  ApplicationListener<ApplicationReadyEvent> dataFilesOwnerOnly(DataFolder folder) {
    return event -> folder.secure();
  }

  @Bean
  SecretCipher secretCipher(@Value("${exbridge.secret-key:}") String configured, DataFolder data) {
    String encoded = configured;
    if (encoded.isBlank()) {
      encoded =
          data.readOrCreate(
              "secret.key", () -> Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
      log.info(
          "secrets at rest are encrypted with the key in {} (set EXBRIDGE_SECRET_KEY to use your own)",
          data.path("secret.key").toAbsolutePath());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "EXBRIDGE_SECRET_KEY must be base64 of 16, 24 or 32 bytes", e);
    }
    return new SecretCipher(key);
  }

  @Bean
  AdminToken adminToken(@Value("${exbridge.admin-token:}") String configured, DataFolder data) {
    if (!configured.isBlank()) {
      return new AdminToken(configured.trim());
    }
    String token = data.readOrCreate("admin-token", () -> Secrets.random("xa-", 40));
    log.info(
        "operator API token: see {} (set EXBRIDGE_ADMIN_TOKEN to choose one)",
        data.path("admin-token").toAbsolutePath());
    return new AdminToken(token);
  }

  @Bean
  ExchangeSources exchangeSources(
      JsonMapper json,
      Clock clock,
      @Value("${exbridge.exchange.request-timeout}") java.time.Duration timeout,
      @Value("${exbridge.exchange.deadline}") java.time.Duration deadline,
      @Value("${exbridge.exchange.max-response-bytes}")
          org.springframework.util.unit.DataSize maxBytes,
      @Value("${exbridge.exchange.ews-concurrency}") int ewsConcurrency,
      MeterRegistry registry) {
    // exbridge_exchange_requests_total{protocol, outcome}: ok, throttled, retryable, permanent,
    // cursor_lost, calendar_gone.
    RequestObserver requests =
        (protocol, outcome) ->
            registry
                .counter("exbridge.exchange.requests", "protocol", protocol, "outcome", outcome)
                .increment();
    return new ExchangeSources(
        json,
        clock,
        timeout,
        new ExchangeHttp.Limits(deadline, maxBytes.toBytes()),
        ewsConcurrency,
        requests);
  }

  @Bean
  DatabaseKind databaseKind(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return DatabaseKind.of(connection.getMetaData().getDatabaseProductName());
    }
  }
}
