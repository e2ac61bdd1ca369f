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
 * Fewer copies of the Exchange id in the event table's indexes. The ids are long (about 150
 * characters) and random, so every index that holds them rewrites a page for nearly every row a
 * sync page inserts; with the id in three indexes, index writes were most of a sync's database
 * time. The uniqueness of (calendar, Exchange id) now lives in one index that leads with the id,
 * which also serves the lookups by {@code exchange_id in (...)} (H2 looks an IN list up only in an
 * index whose first column it is, the reason V3 added an index of the id alone, now dropped). The
 * index of (calendar, series id) is dropped too: lookups by series id use V3's index of the series
 * id alone, and the queries that name a calendar and a series together also accept an event id,
 * which no index of both serves. The old constraint has a generated name that differs between H2
 * and PostgreSQL, so it is found in the information schema and dropped by that name.
 */
public class V10__Event_exchange_id_leads_its_unique_index extends BaseJavaMigration {
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
                + " where lower(tc.table_name) = 'synced_event' and tc.constraint_type = 'UNIQUE'"
                + " and lower(k.column_name) = 'exchange_id' and tc.table_schema = current_schema()")) {
      try (ResultSet rs = find.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "create unique index synced_event_exchange on synced_event (exchange_id, calendar_pk)");
      for (String name : names) {
        s.execute("alter table synced_event drop constraint \"" + name + "\"");
      }
      s.execute("drop index synced_event_exchange_id");
      s.execute("drop index synced_event_master");
    }
  }
}
