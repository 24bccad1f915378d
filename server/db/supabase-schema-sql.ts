/** Name of the publication users add their tables to, as on Supabase. */
export const REALTIME_PUBLICATION = 'supabase_realtime'

/** Publication of `realtime.messages` (broadcast from the database), separate from the user's. */
export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication'

/**
 * Idempotent SQL that gives any PostgreSQL the parts of a Supabase database that Realtime and
 * user SQL rely on: API roles, `auth.*` helpers, default grants, the `realtime` schema with
 * `messages`, `topic()`, `send()`, `broadcast_changes()`, and the `supabase_realtime` publication.
 */
export const SUPABASE_SCHEMA_SQL = /* sql */ `
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
end
$roles$;

grant anon, authenticated, service_role to authenticator;

create schema if not exists auth;
create schema if not exists extensions;
create schema if not exists realtime;
grant usage on schema auth, extensions, realtime to anon, authenticated, service_role;

-- Extensions Supabase projects have in schema \`extensions\`, which is on the search path.
do $extensions$
begin
  create extension if not exists "uuid-ossp" with schema extensions;
  create extension if not exists pgcrypto with schema extensions;
  execute format('alter database %I set search_path = "$user", public, extensions', current_database());
exception when others then
  raise warning 'Supabase extensions are not available: %', sqlerrm;
end
$extensions$;

create table if not exists auth.users (
  id uuid primary key default gen_random_uuid(),
  email text unique,
  role text default 'authenticated',
  raw_app_meta_data jsonb default '{}'::jsonb,
  raw_user_meta_data jsonb default '{}'::jsonb,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
-- The columns of Supabase Auth's own tables that the local /auth/v1 uses (server/auth/).
alter table auth.users
  add column if not exists instance_id uuid,
  add column if not exists aud varchar(255) default 'authenticated',
  add column if not exists encrypted_password varchar(255),
  add column if not exists email_confirmed_at timestamptz,
  add column if not exists last_sign_in_at timestamptz,
  add column if not exists phone text default null,
  add column if not exists phone_confirmed_at timestamptz,
  add column if not exists banned_until timestamptz,
  add column if not exists deleted_at timestamptz,
  add column if not exists is_sso_user boolean not null default false,
  add column if not exists is_anonymous boolean not null default false;
do $confirmed$
begin
  if not exists (select 1 from information_schema.columns where table_schema = 'auth' and table_name = 'users' and column_name = 'confirmed_at') then
    alter table auth.users add column confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored;
  end if;
end
$confirmed$;
create table if not exists auth.identities (
  id uuid primary key default gen_random_uuid(),
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  email text generated always as (lower(identity_data ->> 'email')) stored,
  unique (provider_id, provider)
);
create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  factor_id uuid,
  aal text default 'aal1',
  not_after timestamptz,
  refreshed_at timestamp without time zone,
  user_agent text,
  ip inet,
  tag text
);
create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);
grant select on auth.users to service_role;

create or replace function auth.jwt() returns jsonb
language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$fn$;

create or replace function auth.uid() returns uuid
language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
  )::uuid
$fn$;

create or replace function auth.role() returns text
language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
  )::text
$fn$;

create or replace function auth.email() returns text
language sql stable as $fn$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'
  )::text
$fn$;

grant execute on all functions in schema auth to anon, authenticated, service_role;

grant usage on schema public to anon, authenticated, service_role;
grant all on all tables in schema public to anon, authenticated, service_role;
grant all on all sequences in schema public to anon, authenticated, service_role;
grant all on all routines in schema public to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on routines to anon, authenticated, service_role;

create table if not exists realtime.messages (
  id uuid not null default gen_random_uuid() primary key,
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  binary_payload bytea,
  inserted_at timestamp without time zone not null default now(),
  updated_at timestamp without time zone not null default now()
);
create index if not exists messages_topic_inserted_at_idx on realtime.messages (topic, private, inserted_at);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated;
grant all on realtime.messages to service_role;

create or replace function realtime.topic() returns text
language sql stable as $fn$
  select nullif(current_setting('realtime.topic', true), '')::text
$fn$;

create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $fn$
declare
  message_id uuid := gen_random_uuid();
  body jsonb := payload;
begin
  begin
    if jsonb_typeof(body) = 'object' and not (body ? 'id') then
      body := body || jsonb_build_object('id', message_id);
    end if;
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id, body, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$fn$;

create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void language plpgsql as $fn$
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (binary_payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end
$fn$;

create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void language plpgsql as $fn$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object(
      'old_record', case when old is null then null else to_jsonb(old) end,
      'record', case when new is null then null else to_jsonb(new) end,
      'operation', operation,
      'table', table_name,
      'schema', table_schema
    ),
    event_name, topic_name
  );
end
$fn$;

grant execute on function realtime.topic(), realtime.send(jsonb, text, text, boolean),
  realtime.send_binary(bytea, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to anon, authenticated, service_role;

-- Visibility of one changed row for a list of subscribers [role, claims]. Returns
-- {"rls": bool, "pk": [names], "roles": {role: {"err": null | "Error 400: ..." | "Error 401: ...",
-- "cols": [{name, type}]}}, "visible": [bool per subscriber]}. The row is selected by primary key
-- as the subscriber's role with its JWT claims, so the table's RLS policies decide.
drop function if exists realtime.check_visibility(regclass, jsonb, jsonb, boolean);
create or replace function realtime.check_visibility(entity regclass, pk jsonb, subscribers jsonb, apply_rls boolean, xid bigint)
returns jsonb language plpgsql volatile as $fn$
declare
  rls_enabled boolean;
  pk_names text[];
  where_sql text;
  check_sql text;
  roles jsonb := '{}'::jsonb;
  visible_list boolean[] := '{}';
  sub jsonb;
  role_name text;
  claims jsonb;
  cols jsonb;
  role_error text;
  visible boolean;
  next_xid bigint;
  full_xid bigint;
begin
  select c.relrowsecurity into rls_enabled from pg_class c where c.oid = entity;
  select array_agg(a.attname::text order by a.attnum),
         string_agg(format('%I = ($1 ->> %L)::%s', a.attname, a.attname, format_type(a.atttypid, a.atttypmod)), ' and ')
    into pk_names, where_sql
    from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
   where i.indrelid = entity and i.indisprimary;
  check_sql := format('select exists (select 1 from %s where %s)', entity, where_sql);
  -- NOTE: logical decoding can hand over a commit a moment before it is visible to new snapshots;
  -- wait (briefly) until it is, so the row read below as each subscriber is the committed one.
  if apply_rls and rls_enabled and xid is not null then
    -- The 32-bit xid gets the epoch of the snapshot's xmax, corrected across a wraparound.
    next_xid := pg_snapshot_xmax(pg_current_snapshot())::text::bigint;
    full_xid := ((next_xid >> 32) << 32) | xid;
    if full_xid > next_xid + 2147483648 then
      full_xid := full_xid - 4294967296;
    elsif full_xid < next_xid - 2147483648 then
      full_xid := full_xid + 4294967296;
    end if;
    begin
      for attempt in 1..120 loop
        exit when pg_visible_in_snapshot(full_xid::text::xid8, pg_current_snapshot());
        perform pg_sleep(case when attempt <= 20 then 0.0002 else 0.002 end);
      end loop;
    exception when others then
      null;
    end;
  end if;
  for sub in select value from jsonb_array_elements(subscribers) loop
    role_name := sub ->> 0;
    claims := sub -> 1;
    if not roles ? role_name then
      role_error := null;
      cols := '[]'::jsonb;
      if not exists (select 1 from pg_roles where rolname = role_name) then
        role_error := 'unknown role';
      else
        select coalesce(jsonb_agg(jsonb_build_object('name', a.attname, 'type', t.typname) order by a.attnum), '[]'::jsonb)
          into cols
          from pg_attribute a join pg_type t on t.oid = a.atttypid
         where a.attrelid = entity and a.attnum > 0 and not a.attisdropped
           and has_column_privilege(role_name, entity, a.attname, 'SELECT');
        if where_sql is null then
          role_error := 'Error 400: Bad Request, no primary key';
        elsif not (select bool_and(has_column_privilege(role_name, entity, n, 'SELECT')) from unnest(pk_names) n) then
          role_error := 'Error 401: Unauthorized';
        end if;
      end if;
      roles := roles || jsonb_build_object(role_name, jsonb_build_object('err', role_error, 'cols', cols));
    end if;
    role_error := roles -> role_name ->> 'err';
    visible := role_error is null or role_error <> 'unknown role';
    if role_error is null and apply_rls and rls_enabled then
      begin
        perform set_config('role', role_name, true),
                set_config('request.jwt.claims', claims::text, true),
                set_config('request.jwt.claim.sub', coalesce(claims ->> 'sub', ''), true),
                set_config('request.jwt.claim.role', coalesce(claims ->> 'role', ''), true);
        execute check_sql into visible using pk;
        perform set_config('role', 'none', true);
      exception when others then
        visible := false;
      end;
    end if;
    visible_list := array_append(visible_list, coalesce(visible, false));
  end loop;
  return jsonb_build_object('rls', coalesce(rls_enabled, false), 'pk', coalesce(to_jsonb(pk_names), '[]'::jsonb),
                            'roles', roles, 'visible', to_jsonb(visible_list));
end
$fn$;
revoke all on function realtime.check_visibility(regclass, jsonb, jsonb, boolean, bigint) from public;

-- Raises the cast error of a postgres_changes filter value that does not fit its column type.
create or replace function realtime.check_filter_value(entity regclass, column_name text, op text, value text)
returns void language plpgsql stable as $fn$
declare
  column_type text;
begin
  select format_type(a.atttypid, a.atttypmod) into column_type
    from pg_attribute a where a.attrelid = entity and a.attname = column_name and not a.attisdropped;
  if column_type is null or op not in ('eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'isdistinct') then
    return;
  end if;
  if op = 'isdistinct' and lower(value) = 'null' then
    return;
  end if;
  execute format('select %L::%s', value, column_type || case when op = 'in' then '[]' else '' end);
end
$fn$;
revoke all on function realtime.check_filter_value(regclass, text, text, text) from public;

do $publications$
begin
  if not exists (select 1 from pg_publication where pubname = '${REALTIME_PUBLICATION}') then
    create publication ${REALTIME_PUBLICATION};
  end if;
  if not exists (select 1 from pg_publication where pubname = '${MESSAGES_PUBLICATION}') then
    create publication ${MESSAGES_PUBLICATION} for table realtime.messages with (publish = 'insert');
  end if;
end
$publications$;
`

/**
 * The playground's examples. `public.todos`, in the publication: each signed-in user reads and
 * writes only their own rows (`user_id`, filled with `auth.uid()`), while visitors who are not
 * signed in share the rows that belong to nobody. The support chat (`chat`) as a private channel:
 * signed-in users may read and write its broadcasts and presence.
 */
export const TODOS_SEED_SQL = /* sql */ `
create table if not exists public.todos (
  id bigint generated by default as identity primary key,
  task text,
  is_complete boolean not null default false,
  inserted_at timestamptz not null default now()
);
alter table public.todos add column if not exists user_id uuid default auth.uid() references auth.users (id) on delete cascade;
alter table public.todos enable row level security;
drop policy if exists "Anyone can read and write todos" on public.todos;
do $seed$
begin
  if not exists (select 1 from pg_policies where schemaname = 'public' and tablename = 'todos' and policyname = 'Own todos, or shared ones when signed out') then
    create policy "Own todos, or shared ones when signed out" on public.todos
      for all to anon, authenticated
      using (user_id is not distinct from auth.uid()) with check (user_id is not distinct from auth.uid());
  end if;
  if not exists (select 1 from pg_policies where schemaname = 'realtime' and tablename = 'messages' and policyname = 'Signed-in users read the support chat') then
    create policy "Signed-in users read the support chat" on realtime.messages
      for select to authenticated using (realtime.topic() = 'chat' and extension in ('broadcast', 'presence'));
  end if;
  if not exists (select 1 from pg_policies where schemaname = 'realtime' and tablename = 'messages' and policyname = 'Signed-in users write the support chat') then
    create policy "Signed-in users write the support chat" on realtime.messages
      for insert to authenticated with check (realtime.topic() = 'chat' and extension in ('broadcast', 'presence'));
  end if;
  if not exists (
    select 1 from pg_publication_tables where pubname = '${REALTIME_PUBLICATION}' and schemaname = 'public' and tablename = 'todos'
  ) then
    alter publication ${REALTIME_PUBLICATION} add table public.todos;
  end if;
end
$seed$;
`
