// The exbridge operator console: plain DOM, no framework, every value set as text (never as HTML).
"use strict";

const API = "/admin/api/v1";
const STORE = "exbridge.operatorToken";
const state = { tenant: null, view: "bindings", timer: null, importId: null };

// ---- small helpers -------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function field(id, label, input) {
  return h("span", {}, h("label", { for: id, text: label }), input);
}

// Widths through the CSSOM: the console's Content-Security-Policy forbids style attributes.
function width(el, pct) {
  el.style.width = pct + "%";
  return el;
}

function say(text, bad) {
  const box = document.getElementById("message");
  box.replaceChildren(text ? h("p", { class: bad ? "note bad" : "note", text }) : "");
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : "";
}

class Problem extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function call(method, path, body, contentType) {
  const headers = { Authorization: "Bearer " + sessionStorage.getItem(STORE) };
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/json";
    payload = contentType ? body : JSON.stringify(body);
  }
  const response = await fetch(API + path, { method, headers, body: payload });
  if (response.status === 401) {
    signOut("The operator token was refused; sign in again.");
    throw new Problem(401, "signed out");
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Problem(response.status, (data && data.detail) || "HTTP " + response.status);
  }
  return data;
}

function t(path) {
  return "/tenants/" + encodeURIComponent(state.tenant) + path;
}

function bindingPath(id) {
  return "/bindings/" + encodeURIComponent(id);
}

async function guarded(action) {
  try {
    return await action();
  } catch (e) {
    if (!(e instanceof Problem && e.status === 401)) say(e.message, true);
    return undefined;
  }
}

function statusChip(status) {
  return h("span", { class: "status " + (status || ""), text: status || "" });
}

// What to do about a failure, in words, from its code.
function fix(code, message) {
  const m = (code || "") + " " + (message || "");
  if (/401|403|credential|Unauthorized|invalid_client/i.test(m))
    return "Check the admin account's user name and password (or client id and secret), then test it again.";
  if (/404|no EWS service/i.test(m)) return "Check the EWS URL: it usually ends in /EWS/Exchange.asmx.";
  if (/NonExistentMailbox|ResourceNotFound|MailboxNotEnabled|InvalidUser/i.test(m))
    return "The mailbox does not exist or is not enabled; check the Exchange account's address.";
  if (/ImpersonateUserDenied|ErrorAccessDenied|Authorization_RequestDenied/i.test(m))
    return "Give the admin account the ApplicationImpersonation role (EWS) or Calendars.ReadWrite application permission (Graph).";
  if (/unreachable|connect|timed out|UnknownHost/i.test(m))
    return "exbridge cannot reach Exchange; check the URL, DNS and the firewall.";
  if (/throttl|busy|429|503/i.test(m)) return "Exchange is throttling; exbridge retries by itself.";
  return "";
}

// ---- sign-in and frame ---------------------------------------------------

function signOut(why) {
  sessionStorage.removeItem(STORE);
  if (why) sessionStorage.setItem("exbridge.why", why);
  stopTimer();
  location.reload();
}

async function signIn(event) {
  event.preventDefault();
  const token = document.getElementById("token").value.trim();
  if (!token) return;
  const response = await fetch(API + "/tenants?limit=1", {
    headers: { Authorization: "Bearer " + token },
  });
  if (!response.ok) {
    say(response.status === 429 ? "Too many failed attempts; wait a minute." : "That token was refused.", true);
    return;
  }
  sessionStorage.setItem(STORE, token);
  await start();
}

async function start() {
  document.getElementById("session").hidden = false;
  document.getElementById("nav").hidden = false;
  for (const b of document.querySelectorAll("#nav button")) {
    b.addEventListener("click", () => {
      say("");
      show(b.dataset.view);
    });
  }
  document.getElementById("sign-out").addEventListener("click", () => signOut());
  document.getElementById("tenant").addEventListener("change", (e) => {
    state.tenant = e.target.value;
    show(state.view);
  });
  say("");
  await loadTenants();
  show(state.tenant ? "bindings" : "tenants");
}

async function loadTenants(select) {
  const page = await guarded(() => call("GET", "/tenants?limit=1000"));
  if (!page) return;
  const picker = document.getElementById("tenant");
  picker.replaceChildren(
    ...page.items.map((x) => h("option", { value: x.tenant_key, text: x.name + " (" + x.tenant_key + ")" })),
  );
  const keys = page.items.map((x) => x.tenant_key);
  state.tenant = select && keys.includes(select) ? select : keys.includes(state.tenant) ? state.tenant : keys[0] || null;
  if (state.tenant) picker.value = state.tenant;
}

function stopTimer() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

function every(ms, fn) {
  stopTimer();
  state.timer = setInterval(fn, ms);
}

async function show(view) {
  stopTimer();
  state.view = view;
  for (const b of document.querySelectorAll("#nav button")) {
    if (b.dataset.view === view) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
  const main = document.getElementById("main");
  if (!state.tenant && view !== "tenants") {
    main.replaceChildren(h("p", { text: "Create a tenant first." }));
    return show("tenants");
  }
  main.replaceChildren();
  await guarded(() => VIEWS[view](main));
}

// ---- tenants -------------------------------------------------------------

async function tenantsView(main) {
  const page = await call("GET", "/tenants?limit=1000");
  const key = h("input", { id: "tenant-key", required: true, pattern: "[A-Za-z0-9_.\\-]{1,64}" });
  const name = h("input", { id: "tenant-name", required: true });
  main.append(
    h("h2", { text: "Tenants" }),
    h(
      "form",
      {
        class: "card",
        id: "tenant-form",
        onsubmit: async (e) => {
          e.preventDefault();
          const made = await guarded(() => call("POST", "/tenants", { tenant_key: key.value, name: name.value }));
          if (made) {
            say("Tenant " + made.tenant_key + " created.");
            await loadTenants(made.tenant_key);
            show("tenants");
          }
        },
      },
      h("div", { class: "row" }, field("tenant-key", "Tenant key", key), field("tenant-name", "Name", name),
        h("button", { type: "submit", class: "primary", id: "tenant-create", text: "Create tenant" })),
    ),
    table(["Tenant key", "Name", "Created", ""], page.items.map((x) => [
      x.tenant_key, x.name, when(x.created_at),
      h("button", { class: "danger", text: "Delete", onclick: async () => {
        if (!confirm("Delete tenant " + x.tenant_key + " with its apps and users?")) return;
        if ((await guarded(() => call("DELETE", "/tenants/" + encodeURIComponent(x.tenant_key)))) !== undefined) {
          say("Tenant " + x.tenant_key + " deleted.");
          await loadTenants();
          show("tenants");
        }
      } }),
    ])),
  );
}

// A table; keys, when given, name each row (data-key) for whoever looks for one.
function table(headers, rows, id, keys) {
  return h("table", { id },
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", text: x })))),
    h("tbody", {}, rows.map((r, i) => h("tr", { "data-key": keys ? keys[i] : null }, r.map((c) => h("td", {}, c))))));
}

// ---- apps ----------------------------------------------------------------

async function appsView(main) {
  const page = await call("GET", t("/apps?limit=1000"));
  const name = h("input", { id: "app-name", required: true });
  const scopes = h("input", { id: "app-scopes", placeholder: "calendar:calendar admin:exchange", size: 40 });
  const secretBox = h("div", { id: "secret-once" });
  const showSecret = (app) =>
    secretBox.replaceChildren(h("div", { class: "card" },
      h("p", { text: "The secret of " + app.app_id + ", shown this once; store it now:" }),
      h("span", { class: "secret", text: app.app_secret })));
  main.append(
    h("h2", { text: "Apps" }),
    h("form", { class: "card", onsubmit: async (e) => {
      e.preventDefault();
      const app = await guarded(() => call("POST", t("/apps"), {
        name: name.value, scopes: scopes.value.split(/\s+/).filter(Boolean) }));
      if (app) { await show("apps"); document.getElementById("secret-once").replaceWith(secretBox); showSecret(app); }
    } }, h("div", { class: "row" }, field("app-name", "Name", name), field("app-scopes", "Scopes", scopes),
      h("button", { type: "submit", class: "primary", id: "app-create", text: "Create app" }))),
    secretBox,
    table(["App id", "Name", "Scopes", "Created", ""], page.items.map((a) => [
      a.app_id, a.name, a.scopes.join(" "), when(a.created_at),
      h("span", {},
        h("button", { text: "Rotate secret", onclick: async () => {
          if (!confirm("A new secret for " + a.app_id + "? The old one stops working at once.")) return;
          const r = await guarded(() => call("POST", t("/apps/" + encodeURIComponent(a.app_id) + "/secret")));
          if (r) showSecret(r);
        } }), " ",
        h("button", { class: "danger", text: "Delete", onclick: async () => {
          if (!confirm("Delete app " + a.app_id + "?")) return;
          if ((await guarded(() => call("DELETE", t("/apps/" + encodeURIComponent(a.app_id))))) !== undefined) show("apps");
        } })),
    ])),
  );
}

// ---- users ---------------------------------------------------------------

async function usersView(main) {
  const q = h("input", { id: "user-q", type: "search", placeholder: "id, name or e-mail" });
  const list = h("div", {});
  let cursor = null;
  const load = async (more) => {
    const page = await guarded(() => call("GET", t("/users?limit=100" + (q.value ? "&q=" + encodeURIComponent(q.value) : "")
      + (more && cursor ? "&cursor=" + encodeURIComponent(cursor) : ""))));
    if (!page) return;
    cursor = page.next_cursor;
    const rows = page.items.map((u) => [u.user_id, u.name, u.email || "", statusChip(u.status),
      h("span", { class: "muted", text: Object.entries(u.open_ids || {}).map(([app, id]) => app + ": " + id).join("\n") }),
      h("button", { class: "danger", text: "Delete", onclick: async () => {
        if (!confirm("Delete user " + u.user_id + "?")) return;
        if ((await guarded(() => call("DELETE", t("/users/" + encodeURIComponent(u.user_id))))) !== undefined) load(false);
      } })]);
    const tbl = table(["User id", "Name", "E-mail", "Status", "open_id per app", ""], rows, "users-table", page.items.map((u) => u.user_id));
    if (more) list.querySelector("tbody").append(...tbl.querySelector("tbody").children);
    else list.replaceChildren(tbl);
    list.append(cursor ? h("button", { id: "users-more", text: "More", onclick: () => { list.lastChild.remove(); load(true); } }) : "");
  };
  const id = h("input", { id: "user-id", required: true });
  const name = h("input", { id: "user-name" });
  const email = h("input", { id: "user-email", type: "email" });
  const file = h("input", { id: "users-file", type: "file", accept: ".csv,text/csv" });
  main.append(
    h("h2", { text: "Users" }),
    h("form", { class: "card", onsubmit: async (e) => {
      e.preventDefault();
      const u = await guarded(() => call("PUT", t("/users/" + encodeURIComponent(id.value.trim())), { name: name.value || null, email: email.value || null }));
      if (u) { say("User " + u.user_id + " saved."); load(false); }
    } }, h("div", { class: "row" }, field("user-id", "User id", id), field("user-name", "Name", name),
      field("user-email", "E-mail", email), h("button", { type: "submit", class: "primary", id: "user-add", text: "Add user" }))),
    h("div", { class: "card" }, h("div", { class: "row" },
      field("users-file", "Import users from a CSV with the columns user_id,name,email", file),
      h("button", { type: "button", id: "users-import", text: "Import users", onclick: async () => {
        if (!file.files[0]) return say("Choose a CSV file first.", true);
        const lines = (await file.files[0].text()).replace(/^\uFEFF/, "").split(/\r?\n/).filter((l) => l.trim());
        const cols = lines.shift().split(/[,;\t]/).map((c) => c.trim().toLowerCase());
        let done = 0; const failed = [];
        for (const line of lines) {
          const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ""));
          const get = (n) => (cols.indexOf(n) >= 0 ? cells[cols.indexOf(n)] : "") || null;
          try { await call("PUT", t("/users/" + encodeURIComponent(get("user_id") || "")), { name: get("name"), email: get("email") }); done++; }
          catch (e) { failed.push((get("user_id") || "?") + ": " + e.message); }
        }
        say(done + " user(s) saved" + (failed.length ? "; not saved: " + failed.join("; ") : "."), failed.length > 0);
        load(false);
      } }))),
    h("div", { class: "row" }, field("user-q", "Search", q), h("button", { type: "button", text: "Search", onclick: () => load(false) })),
    list,
  );
  q.addEventListener("keydown", (e) => { if (e.key === "Enter") load(false); });
  await load(false);
}

// ---- Exchange admin accounts ----------------------------------------------

async function accountsView(main) {
  const page = await call("GET", t("/exchange_admin_accounts?limit=1000"));
  const f = {
    id: h("input", { id: "acct-id", type: "email", required: true, placeholder: "admin@contoso.com" }),
    protocol: h("select", { id: "acct-protocol" }, h("option", { value: "ews", text: "EWS (Exchange Server)" }), h("option", { value: "graph", text: "Graph (Exchange Online)" })),
    ewsUrl: h("input", { id: "acct-ews-url", size: 44, placeholder: "https://mail.contoso.com/EWS/Exchange.asmx" }),
    auth: h("select", { id: "acct-auth" }, ["ntlm", "basic", "oauth"].map((a) => h("option", { value: a, text: a }))),
    username: h("input", { id: "acct-username", placeholder: "CONTOSO\\svc-exbridge" }),
    password: h("input", { id: "acct-password", type: "password", autocomplete: "new-password" }),
    graphUrl: h("input", { id: "acct-graph-url", size: 36, placeholder: "https://graph.microsoft.com" }),
    tokenUrl: h("input", { id: "acct-token-url", size: 44, placeholder: "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token" }),
    clientId: h("input", { id: "acct-client-id" }),
    clientSecret: h("input", { id: "acct-client-secret", type: "password", autocomplete: "new-password" }),
  };
  const ews = h("div", { class: "row" }, field("acct-ews-url", "EWS URL", f.ewsUrl), field("acct-auth", "Authentication", f.auth),
    field("acct-username", "User name", f.username), field("acct-password", "Password", f.password));
  const graph = h("div", { class: "row" }, field("acct-graph-url", "Graph URL", f.graphUrl));
  const oauth = h("div", { class: "row" }, field("acct-token-url", "Token URL", f.tokenUrl), field("acct-client-id", "Client id", f.clientId),
    field("acct-client-secret", "Client secret", f.clientSecret));
  const sync = () => {
    const isGraph = f.protocol.value === "graph";
    ews.hidden = isGraph;
    graph.hidden = !isGraph;
    oauth.hidden = !isGraph && f.auth.value !== "oauth";
    f.username.parentElement.hidden = !isGraph && f.auth.value === "oauth";
    f.password.parentElement.hidden = !isGraph && f.auth.value === "oauth";
  };
  f.protocol.addEventListener("change", sync);
  f.auth.addEventListener("change", sync);
  const result = h("div", { id: "acct-test-result" });
  const mailbox = h("input", { id: "acct-test-mailbox", type: "email", placeholder: "a mailbox to read, e.g. user1@contoso.com", size: 34 });
  const test = async (account) => {
    if (!mailbox.value) { mailbox.focus(); return say("Enter a mailbox to test with.", true); }
    result.replaceChildren(h("p", { class: "muted", text: "Testing " + account + " with " + mailbox.value + "…" }));
    const r = await guarded(() => call("POST", t("/exchange_admin_accounts/" + encodeURIComponent(account) + "/check"), { mailbox: mailbox.value }));
    if (!r) return result.replaceChildren();
    if (r.ok) {
      result.replaceChildren(h("p", { class: "card", id: "acct-test-ok" }, statusChip("ok"),
        " " + account + " works: " + r.calendars.length + " calendar(s) and " + r.events.length + " event(s) in the coming weeks of " + mailbox.value + "."));
    } else {
      result.replaceChildren(h("div", { class: "card", id: "acct-test-failed" },
        h("p", {}, statusChip("failed"), " " + r.error.message + " (" + r.error.code + ")"),
        h("p", { class: "fix", text: fix(r.error.code, r.error.message) })));
    }
    const accounts = await guarded(() => call("GET", t("/exchange_admin_accounts?limit=1000")));
    if (accounts) document.getElementById("accounts-table").replaceWith(accountsTable(accounts.items));
  };
  const edit = (a) => {
    f.id.value = a.admin_account; f.protocol.value = a.protocol; f.ewsUrl.value = a.ews_url || "";
    f.auth.value = a.auth || "ntlm"; f.username.value = a.username || ""; f.graphUrl.value = a.graph_url || "";
    f.tokenUrl.value = a.token_url || ""; f.clientId.value = a.client_id || ""; f.password.value = ""; f.clientSecret.value = "";
    f.password.placeholder = f.clientSecret.placeholder = "unchanged"; sync(); f.id.focus();
  };
  const accountsTable = (items) => table(["Admin account", "Protocol", "Endpoint", "Status", "Last error", "Checked", ""], items.map((a) => [
    a.admin_account, a.protocol + (a.auth ? " (" + a.auth + ")" : ""), a.ews_url || a.graph_url || "", statusChip(a.status),
    h("span", {}, h("span", { class: "problem", text: a.last_error || "" }), a.last_error ? h("div", { class: "fix", text: fix("", a.last_error) }) : ""),
    when(a.checked_at),
    h("span", {}, h("button", { text: "Test", onclick: () => test(a.admin_account) }), " ",
      h("button", { text: "Edit", onclick: () => edit(a) }), " ",
      h("button", { class: "danger", text: "Delete", onclick: async () => {
        if (!confirm("Delete admin account " + a.admin_account + "?")) return;
        if ((await guarded(() => call("DELETE", t("/exchange_admin_accounts/" + encodeURIComponent(a.admin_account))))) !== undefined) show("accounts");
      } })),
  ]), "accounts-table", items.map((a) => a.admin_account));
  main.append(
    h("h2", { text: "Exchange admin accounts" }),
    h("form", { class: "card", id: "acct-form", onsubmit: async (e) => {
      e.preventDefault();
      const isGraph = f.protocol.value === "graph";
      const body = { protocol: f.protocol.value };
      if (isGraph) Object.assign(body, { graph_url: f.graphUrl.value || null, token_url: f.tokenUrl.value, client_id: f.clientId.value, client_secret: f.clientSecret.value || null });
      else if (f.auth.value === "oauth") Object.assign(body, { ews_url: f.ewsUrl.value, auth: "oauth", token_url: f.tokenUrl.value, client_id: f.clientId.value, client_secret: f.clientSecret.value || null });
      else Object.assign(body, { ews_url: f.ewsUrl.value, auth: f.auth.value, username: f.username.value, password: f.password.value || null });
      const saved = await guarded(() => call("PUT", t("/exchange_admin_accounts/" + encodeURIComponent(f.id.value.trim())), body));
      if (saved) {
        say("Admin account " + saved.admin_account + " saved (" + (saved.ews_url || saved.graph_url) + "). Test it with a mailbox before binding.");
        const accounts = await guarded(() => call("GET", t("/exchange_admin_accounts?limit=1000")));
        if (accounts) document.getElementById("accounts-table").replaceWith(accountsTable(accounts.items));
      }
    } },
      h("div", { class: "row" }, field("acct-id", "Admin account (e-mail)", f.id), field("acct-protocol", "Protocol", f.protocol)),
      ews, graph, oauth,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "acct-save", text: "Save admin account" }))),
    h("div", { class: "card" }, h("div", { class: "row" }, field("acct-test-mailbox", "Test with mailbox", mailbox),
      h("span", { class: "muted", text: "then press Test on an account below" }))),
    result,
    accountsTable(page.items),
  );
  sync();
}

// ---- bindings --------------------------------------------------------------

async function bindingsView(main) {
  const accounts = await call("GET", t("/exchange_admin_accounts?limit=1000"));
  const status = h("select", { id: "b-status" }, h("option", { value: "", text: "any" }),
    ["doing", "cal_done", "timespan_done", "done", "err"].map((s) => h("option", { value: s, text: s })));
  const admin = h("select", { id: "b-admin" }, h("option", { value: "", text: "any" }),
    accounts.items.map((a) => h("option", { value: a.admin_account, text: a.admin_account })));
  const account = h("input", { id: "b-account", type: "search", placeholder: "exact address" });
  const holder = h("div", {});
  const summary = h("p", { class: "counts", id: "b-summary" });
  let cursors = [null];
  const load = async () => {
    const cursor = cursors[cursors.length - 1];
    const query = "?limit=50&tenant_key=" + encodeURIComponent(state.tenant)
      + (status.value ? "&status=" + status.value : "") + (admin.value ? "&admin_account=" + encodeURIComponent(admin.value) : "")
      + (account.value ? "&exchange_account=" + encodeURIComponent(account.value) : "") + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
    const page = await guarded(() => call("GET", "/bindings" + query));
    if (!page) return;
    const progress = await Promise.all(page.bindings.map((b) => call("GET", bindingPath(b.exchange_binding_id)).catch(() => null)));
    const rows = page.bindings.map((b, i) => {
      const p = progress[i] || b;
      const pct = p.progress_percent ?? (p.status === "done" ? 100 : 0);
      const error = p.reason || p.last_error_message || "";
      return h("tr", { "data-key": b.exchange_account },
        h("td", {}, b.exchange_account, h("div", { class: "muted", text: "user " + b.user_id + " via " + b.admin_account })),
        h("td", {}, statusChip(p.status), p.phase ? h("div", { class: "muted", text: p.phase }) : ""),
        h("td", {}, h("span", { class: "bar", role: "progressbar", "aria-valuenow": pct, "aria-valuemin": 0, "aria-valuemax": 100 },
          width(h("i", {}), pct)), pct + "%"),
        h("td", { class: "num" }, (p.events_synced ?? "") + (p.events_total_estimate && p.status !== "done" ? " of ~" + p.events_total_estimate : "")),
        h("td", { class: "num", text: p.calendars_synced ?? "" }),
        h("td", {}, h("span", { class: "problem", text: error }), error ? h("div", { class: "fix", text: fix(p.last_error_code, error) }) : ""),
        h("td", {}, when(p.last_successful_round)),
        h("td", {}, h("button", { text: "Resync", onclick: async () => {
          const r = await guarded(() => call("POST", bindingPath(b.exchange_binding_id) + "/resync"));
          if (r) { say("Resync of " + b.exchange_account + " started."); load(); }
        } }), " ", h("button", { class: "danger", text: "Unbind", onclick: async () => {
          if (!confirm("Unbind " + b.exchange_account + "? Its synced calendars are removed from exbridge.")) return;
          if ((await guarded(() => call("DELETE", bindingPath(b.exchange_binding_id)))) !== undefined) { say(b.exchange_account + " unbound."); load(); }
        } })));
    });
    const counts = {};
    for (const b of page.bindings) counts[b.status] = (counts[b.status] || 0) + 1;
    summary.replaceChildren(...Object.entries(counts).map(([k, v]) => h("span", {}, k + ": ", h("b", { text: v }))));
    holder.replaceChildren(
      h("table", { id: "bindings-table" },
        h("thead", {}, h("tr", {}, ["Exchange account", "Status", "Progress", "Events", "Calendars", "Last error", "Last round", ""].map((x) => h("th", { scope: "col", text: x })))),
        h("tbody", {}, rows)),
      h("div", { class: "row" },
        cursors.length > 1 ? h("button", { text: "Previous", onclick: () => { cursors.pop(); load(); } }) : "",
        page.next_cursor ? h("button", { id: "b-next", text: "Next", onclick: () => { cursors.push(page.next_cursor); load(); } }) : "",
        page.bindings.length === 0 ? h("span", { class: "muted", text: "No bindings here yet; bind accounts with Import." }) : ""));
  };
  for (const el of [status, admin]) el.addEventListener("change", () => { cursors = [null]; load(); });
  account.addEventListener("keydown", (e) => { if (e.key === "Enter") { cursors = [null]; load(); } });
  main.append(h("h2", { text: "Bindings" }),
    h("div", { class: "row" }, field("b-status", "Status", status), field("b-admin", "Admin account", admin), field("b-account", "Exchange account", account)),
    summary, holder);
  await load();
  every(3000, load);
}

// ---- bulk import -----------------------------------------------------------

async function importView(main) {
  const accounts = await call("GET", t("/exchange_admin_accounts?limit=1000"));
  const admin = h("select", { id: "imp-admin" }, accounts.items.map((a) => h("option", { value: a.admin_account, text: a.admin_account + " (" + a.protocol + ", " + a.status + ")" })));
  const file = h("input", { id: "imp-file", type: "file", accept: ".csv,text/csv" });
  const holder = h("div", { id: "imp-holder" });
  const render = (imp) => {
    state.importId = imp.id;
    const c = imp.counts;
    const running = imp.state === "running";
    const counts = h("p", { class: "counts", id: "imp-counts" },
      ["rows", "matched", "unmatched", "dropped", "not_started", "refused", "doing", "cal_done", "timespan_done", "done", "err"]
        .filter((k) => c[k] > 0 || k === "rows" || k === "done")
        .map((k) => h("span", { "data-count": k }, k.replace("_", " ") + ": ", h("b", { text: c[k] }))));
    const rows = imp.rows.map((r) => {
      const user = h("input", { value: r.user_id || "", size: 16, "aria-label": "user id for row " + r.row, disabled: r.outcome === "bound" || running });
      user.addEventListener("change", async () => {
        const next = await guarded(() => call("PATCH", t("/binding_imports/" + imp.id + "/rows/" + r.row), { user_id: user.value }));
        if (next) render(next);
      });
      const drop = h("input", { type: "checkbox", checked: r.dropped, "aria-label": "drop row " + r.row, disabled: r.outcome === "bound" || running });
      drop.addEventListener("change", async () => {
        const next = await guarded(() => call("PATCH", t("/binding_imports/" + imp.id + "/rows/" + r.row), { dropped: drop.checked }));
        if (next) render(next);
      });
      const outcome = r.outcome === "bound" ? statusChip(r.status || "unbound") : r.outcome === "refused" ? statusChip("refused") : "";
      return h("tr", { "data-key": r.exchange_account },
        h("td", { class: "num", text: r.row }), h("td", { text: r.exchange_account }),
        h("td", {}, user), h("td", {}, statusChip(r.match === "none" ? "" : r.match), r.match === "none" ? "no match" : ""),
        h("td", {}, h("span", { class: "problem", text: r.problem || r.reason || "" })),
        h("td", {}, drop), h("td", { class: "row-status" }, outcome));
    });
    holder.replaceChildren(
      h("div", { class: "card" },
        h("p", {}, "Import ", h("b", { text: imp.id }), " through " + imp.admin_account + ": ", statusChip(imp.state)),
        counts,
        h("div", { class: "row" },
          h("button", { class: "primary", id: "imp-start", disabled: c.matched <= 0, text: running ? "Binding… (start again if it stalls)" : imp.started_at ? "Start again (bind what is left)" : "Start import",
            onclick: async () => { const s = await guarded(() => call("POST", t("/binding_imports/" + imp.id + "/start"))); if (s) { render(s); watch(); } } }),
          h("span", { class: "muted", text: "Fix a row by typing the user id; tick to drop it." }))),
      h("table", { id: "imp-rows" },
        h("thead", {}, h("tr", {}, ["Row", "Exchange account", "User id", "Matched by", "Problem", "Drop", "Binding"].map((x) => h("th", { scope: "col", text: x })))),
        h("tbody", {}, rows)));
  };
  const refresh = async () => {
    if (!state.importId) return;
    const imp = await guarded(() => call("GET", t("/binding_imports/" + state.importId)));
    if (imp) render(imp);
  };
  const watch = () => every(2000, refresh);
  const history = await call("GET", t("/binding_imports"));
  main.append(
    h("h2", { text: "Import Exchange accounts" }),
    h("form", { class: "card", id: "imp-form", onsubmit: async (e) => {
      e.preventDefault();
      if (!file.files[0]) return say("Choose a CSV file: a header row with exchange_account, and user_id or email if you have them.", true);
      const text = await file.files[0].text();
      const imp = await guarded(() => call("POST", t("/binding_imports?admin_account=" + encodeURIComponent(admin.value)), text, "text/csv"));
      if (imp) { say(imp.counts.matched + " of " + imp.counts.rows + " row(s) matched to a user. Check them, then start."); render(imp); }
    } },
      h("p", { class: "muted", text: "A CSV with a header row: exchange_account (required), and user_id or email. Rows without user_id are matched by e-mail: the email column, else the account itself." }),
      h("div", { class: "row" }, field("imp-admin", "Through admin account", admin), field("imp-file", "CSV file", file),
        h("button", { type: "submit", class: "primary", id: "imp-upload", text: "Upload and match" }))),
    holder,
    history.imports.length ? h("h3", { text: "Earlier imports" }) : "",
    history.imports.length ? table(["Import", "Admin account", "State", "Rows", "Done", "Created", ""], history.imports.map((i) => [
      i.id, i.admin_account, statusChip(i.state), i.counts.rows, i.counts.done, when(i.created_at),
      h("button", { text: "Open", onclick: async () => { state.importId = i.id; await refresh(); watch(); } })])) : "",
  );
  if (state.importId) { await refresh(); watch(); }
}

const VIEWS = { tenants: tenantsView, apps: appsView, users: usersView, accounts: accountsView, bindings: bindingsView, import: importView };

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sign-in-form").addEventListener("submit", signIn);
  const why = sessionStorage.getItem("exbridge.why");
  if (why) { sessionStorage.removeItem("exbridge.why"); say(why, true); }
  if (sessionStorage.getItem(STORE)) start();
  else document.getElementById("token").focus();
});
