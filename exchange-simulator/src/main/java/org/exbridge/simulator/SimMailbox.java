package org.exbridge.simulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One mailbox: its calendar folders and their events, and a change counter that every write
 * advances, from which sync states and delta tokens are made. Callers read under {@link #read} and
 * change under {@link #write}.
 */
final class SimMailbox {
  final String address;
  final String displayName;
  final List<SimCalendar> calendars = new ArrayList<>();

  /** Every meeting message this mailbox sent (invitations, updates, cancellations), in order. */
  final List<Message> messages = new ArrayList<>();

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** Told of every change to an item, under the write lock: it must only queue. */
  interface ChangeListener {
    void changed(SimMailbox mailbox, long calendar, long item, long version, String kind);
  }

  volatile ChangeListener listener;
  private long version;
  private long nextNumber = 1;

  SimMailbox(String address, String displayName) {
    this.address = address;
    this.displayName = displayName;
  }

  /** Runs a read under the shared lock: protocol requests read concurrently. */
  <T> T read(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs a change under the exclusive lock. */
  <T> T write(Supplier<T> action) {
    lock.writeLock().lock();
    try {
      return action.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  long version() {
    return version;
  }

  long nextVersion() {
    return ++version;
  }

  long nextNumber() {
    return nextNumber++;
  }

  void reserveNumber(long used) {
    nextNumber = Math.max(nextNumber, used + 1);
  }

  SimCalendar calendar(long number) {
    for (SimCalendar c : calendars) {
      if (c.number == number) {
        return c;
      }
    }
    return null;
  }

  SimCalendar defaultCalendar() {
    return calendars.stream().filter(c -> c.isDefault).findFirst().orElse(calendars.get(0));
  }

  /** The event with this number, in whichever calendar holds it. */
  SimEvent event(long number) {
    for (SimCalendar c : calendars) {
      SimEvent e = c.events.get(number);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  SimCalendar calendarOf(long eventNumber) {
    for (SimCalendar c : calendars) {
      if (c.events.containsKey(eventNumber)) {
        return c;
      }
    }
    return null;
  }

  /** Adds or replaces an event; the change is visible to every sync state older than it. */
  void put(SimCalendar calendar, SimEvent event, Clock clock) {
    long v = nextVersion();
    boolean created = !calendar.events.containsKey(event.number);
    if (created) {
      event.createdVersion = v;
    }
    event.version = v;
    event.lastModified = clock.instant();
    calendar.events.put(event.number, event);
    tell(calendar.number, event.number, v, created ? "created" : "updated");
  }

  private void tell(long calendar, long item, long version, String kind) {
    ChangeListener l = listener;
    if (l != null) {
      l.changed(this, calendar, item, version, kind);
    }
  }

  boolean delete(long number) {
    for (SimCalendar c : calendars) {
      SimEvent removed = c.events.remove(number);
      if (removed != null) {
        long v = nextVersion();
        c.tombstones.add(new SimCalendar.Tombstone(number, removed.createdVersion, v));
        tell(c.number, number, v, "deleted");
        return true;
      }
    }
    return false;
  }

  /**
   * A meeting message Exchange would have sent: {@code kind} is invitation, update or cancellation;
   * {@code via} the protocol of the write that sent it.
   */
  record Message(
      java.time.Instant at, String via, String kind, long event, String subject, List<String> to) {}

  /** The mailbox organises the event (an event it created, or one with no organiser set). */
  boolean organises(SimEvent e) {
    return e.organizerEmail == null
        || e.organizerEmail.isEmpty()
        || e.organizerEmail.equalsIgnoreCase(address);
  }

  /** Records a message to these attendees, if any, as the event's organiser sends it. */
  void send(Clock clock, String via, String kind, SimEvent e, List<String> to) {
    if (!to.isEmpty() && organises(e)) {
      messages.add(new Message(clock.instant(), via, kind, e.number, e.subject, List.copyOf(to)));
    }
  }

  /** A calendar folder of this mailbox. */
  static final class SimCalendar {
    final long number;
    final String name;
    final String color;
    final boolean isDefault;
    final boolean canEdit;
    final Map<Long, SimEvent> events = new LinkedHashMap<>();
    final List<Tombstone> tombstones = new ArrayList<>();

    SimCalendar(long number, String name, String color, boolean isDefault, boolean canEdit) {
      this.number = number;
      this.name = name;
      this.color = color;
      this.isDefault = isDefault;
      this.canEdit = canEdit;
    }

    record Tombstone(long number, long createdVersion, long deletedVersion) {}
  }
}
