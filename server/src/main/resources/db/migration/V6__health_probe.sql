-- One row the health check writes: a database that can be read but not written (a full disk)
-- is not healthy.
create table health_probe (
  id          integer primary key,
  checked_at  timestamp with time zone not null
);
insert into health_probe (id, checked_at) values (1, current_timestamp);
