package org.exbridge.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.exbridge.app.ExbridgeApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The real server on a random loopback port, as a test starts and stops it. */
public final class ExbridgeServer implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token";
  public static final String SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  private final ConfigurableApplicationContext context;

  private ExbridgeServer(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts an instance; {@code clock} may be null for the system clock. */
  public static ExbridgeServer start(
      Map<String, String> database, Path dataDir, Clock clock, Map<String, String> extra) {
    Map<String, Object> props = new HashMap<>(database);
    props.put("exbridge.data-dir", dataDir.toString());
    props.put("exbridge.admin-token", ADMIN_TOKEN);
    props.put("exbridge.secret-key", SECRET_KEY);
    props.put("server.port", "0");
    props.put("server.address", "127.0.0.1");
    props.putAll(extra);
    SpringApplicationBuilder builder = new SpringApplicationBuilder(ExbridgeApplication.class);
    if (clock != null) {
      builder.initializers(
          context ->
              ((GenericApplicationContext) context)
                  .registerBean(
                      "testClock",
                      Clock.class,
                      () -> clock,
                      definition -> definition.setPrimary(true)));
    }
    String[] args =
        props.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new ExbridgeServer(builder.run(args));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public <T> T bean(String name, Class<T> type) {
    return context.getBean(name, type);
  }

  public JdbcClient jdbc() {
    return JdbcClient.create(context.getBean(DataSource.class));
  }

  public int count(String table) {
    return jdbc().sql("select count(*) from " + table).query(Integer.class).single();
  }

  @Override
  public void close() {
    context.close();
  }
}
