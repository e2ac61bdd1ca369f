package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * An Exchange address is bound at most once per tenant, not once in the whole server: each tenant
 * is its own Exchange organisation. The old unique constraint has a generated name that differs
 * between H2 and PostgreSQL, so it is found in the information schema (which both keep) and dropped
 * by that name.
 */
public class V4__Bindings_unique_per_tenant extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    List<String> names = new ArrayList<>();
    try (PreparedStatement find =
        c.prepareStatement(
            "select tc.constraint_name from information_schema.table_constraints tc"
                + " join information_schema.key_column_usage k"
                + " on k.constraint_name = tc.constraint_name and k.table_name = tc.table_name"
                + " and k.table_schema = tc.table_schema"
                + " where lower(tc.table_name) = 'exchange_binding' and tc.constraint_type = 'UNIQUE'"
                + " and lower(k.column_name) = 'exchange_account' and tc.table_schema = current_schema()")) {
      try (ResultSet rs = find.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("alter table exchange_binding drop constraint \"" + name + "\"");
      }
      s.execute(
          "alter table exchange_binding add constraint exchange_binding_tenant_account"
              + " unique (tenant_key, exchange_account)");
      s.execute(
          "create index exchange_binding_accounts on exchange_binding (admin_account, exchange_account)");
    }
  }
}
