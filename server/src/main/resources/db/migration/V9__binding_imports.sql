-- Bulk import of bindings from a spreadsheet of Exchange accounts (the operator console's import).
create table binding_import (
  id             varchar(40)  primary key,
  tenant_key     varchar(64)  not null references tenant (tenant_key),
  admin_account  varchar(500) not null,
  state          varchar(16)  not null,
  created_at     timestamp with time zone not null,
  started_at     timestamp with time zone,
  finished_at    timestamp with time zone
);
create index binding_import_tenant on binding_import (tenant_key, created_at);

-- One row of the uploaded file. match: user_id, email or none; outcome after start: bound or
-- refused (null before start, and for dropped rows and rows without a match).
create table binding_import_row (
  import_id         varchar(40)  not null references binding_import (id) on delete cascade,
  row_no            integer      not null,
  exchange_account  varchar(500) not null,
  user_id           varchar(200),
  match_kind        varchar(8)   not null,
  problem           varchar(500),
  dropped           boolean      not null,
  outcome           varchar(16),
  outcome_reason    varchar(2000),
  primary key (import_id, row_no)
);

-- Auto-match reads a tenant's users by e-mail.
create index directory_user_email on directory_user (tenant_key, email);

-- How many items Exchange says a calendar holds (EWS TotalCount), for the operator's progress.
alter table synced_calendar add column item_count integer;
