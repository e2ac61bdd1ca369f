package org.exbridge.directory;

import java.time.Instant;

public record Tenant(String tenantKey, String name, Instant createdAt) {}
