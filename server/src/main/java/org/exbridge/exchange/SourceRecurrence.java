package org.exbridge.exchange;

import java.time.ZoneId;

/**
 * A series' rule as an RFC 5545 RRULE (without the {@code RRULE:} prefix), expanded in {@code
 * zone}, from the master's start.
 */
public record SourceRecurrence(String rrule, ZoneId zone) {}
