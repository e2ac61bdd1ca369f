package org.exbridge.app;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * Tells the connection pool to drop a connection whose database was closed under it. H2 closes an
 * embedded database when a write fails (a full disk, an I/O error) and reports it with its own
 * codes, which the pool does not know as fatal: without this, every pooled connection would keep
 * answering "database closed" until a restart. A new connection opens the database file again once
 * it can be written. PostgreSQL's fatal states (08xxx, 57P0x) the pool already knows.
 */
public final class EvictClosedConnections implements SQLExceptionOverride {
  private static final Set<Integer> H2_CLOSED =
      Set.of(
          90098, // DATABASE_IS_CLOSED
          90121, // DATABASE_CALLED_AT_SHUTDOWN
          90100, // NO_DISK_SPACE_AVAILABLE
          90028, // IO_EXCEPTION_1
          90031, // IO_EXCEPTION_2
          90030, // FILE_CORRUPTED_1
          90067, // CONNECTION_BROKEN_1
          90007, // OBJECT_CLOSED
          50000); // GENERAL_ERROR_1, which wraps the store's panic when a write fails

  @java.lang.Override
  public Override adjudicate(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (H2_CLOSED.contains(x.getErrorCode())) {
        return Override.MUST_EVICT;
      }
    }
    return Override.CONTINUE_EVICT;
  }
}
