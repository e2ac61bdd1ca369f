package org.exbridge.exchange;

import java.util.Map;
import java.util.Set;

/**
 * What the store already holds, as a read asks it: of some item ids with the change keys Exchange
 * reports for them, those stored with that very change key (whole, with their exceptions), which
 * the read need not fetch again.
 */
@FunctionalInterface
public interface StoredVersions {
  StoredVersions NONE = changeKeys -> Set.of();

  Set<String> unchanged(Map<String, String> changeKeys);
}
