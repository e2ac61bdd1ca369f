-- A page's existing rows are looked up by "exchange_id in (...)" and "master_exchange_id in (...)".
-- H2 looks an IN list up in an index only when no other condition picks an index first: with
-- "calendar_pk = ? and exchange_id in (...)" it scanned the whole calendar for every page.
create index synced_event_exchange_id on synced_event (exchange_id);
create index synced_event_master_id on synced_event (master_exchange_id);
