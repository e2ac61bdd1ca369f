-- Push: Exchange tells that a mailbox changed (EWS streaming notifications, Graph change
-- notifications); the binding's job is made due and the ordinary round reads the change.

-- Notifications counted on the job: a notification that comes while a round runs makes the job
-- due again when the round hands it back (push_seq moved past what the round saw).
alter table sync_job add column push_seq bigint default 0 not null;
alter table sync_job add column push_seen bigint default 0 not null;

-- One subscription per bound mailbox. No foreign key: an unbound binding's subscription is ended
-- at Exchange by the push side before its row goes.
create table push_subscription (
  binding_id            bigint        primary key,
  protocol              varchar(8)    not null,
  admin_account         varchar(500)  not null,
  mailbox               varchar(500)  not null,
  subscription_id       varchar(600),
  -- Graph: SHA-256 (hex) of the clientState; the secret itself is never stored.
  client_state_hash     varchar(64),
  -- EWS: the connection (channel) that carries it.
  channel               varchar(600),
  state                 varchar(16)   not null,
  expires_at            timestamp with time zone,
  active_since          timestamp with time zone,
  notifications         bigint        default 0 not null,
  last_notification_at  timestamp with time zone,
  last_error            varchar(1000),
  updated_at            timestamp with time zone not null
);
create unique index push_subscription_id on push_subscription (subscription_id);

-- Who holds an admin account's streaming connections (EWS) or the Graph subscription upkeep: one
-- instance at a time, by lease.
create table push_channel (
  name              varchar(600)  primary key,
  owner             varchar(200),
  lease_until       timestamp with time zone,
  connections       integer       default 0 not null,
  subscriptions     integer       default 0 not null,
  reconnects        bigint        default 0 not null,
  connected_since   timestamp with time zone,
  last_error        varchar(1000),
  updated_at        timestamp with time zone not null
);
