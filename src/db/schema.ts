import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** JSON stored as TEXT; drizzle (de)serialises it. */
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export type Role = "ROLE_USER" | "ROLE_EDITOR" | "ROLE_ADMINISTRATOR";
export type SystemRole = "ROLE_SYSTEM_ADMINISTRATOR";
export type SpaceStatus = "new" | "initialized" | "active" | "cancelled";
export type SpacePurpose = "prod" | "uat" | "test" | "dev";

export const spaces = sqliteTable("spaces", {
  identifier: text("identifier").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  purpose: text("purpose").$type<SpacePurpose>().notNull().default("prod"),
  workers: integer("workers").notNull().default(0),
  status: text("status").$type<SpaceStatus>().notNull().default("new"),
  isLocked: integer("is_locked").notNull().default(0),
  termsAgreed: integer("terms_agreed").notNull().default(0),
  createUser: text("create_user"),
  expireDate: text("expire_date"),
  cancelUser: text("cancel_user"),
  cancelDate: text("cancel_date"),
  syncStatus: text("sync_status"),
  syncMessage: text("sync_message"),
  syncedAt: text("synced_at"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const users = sqliteTable("users", {
  email: text("email").primaryKey(),
  preferences: json<Record<string, unknown>>("preferences").notNull().default({}),
  termsAcceptedAt: text("terms_accepted_at"),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const spaceUsers = sqliteTable(
  "space_users",
  {
    space: text("space").notNull().references(() => spaces.identifier, { onDelete: "cascade" }),
    email: text("email").notNull(),
    roles: json<Role[]>("roles").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.space, t.email] }), index("space_users_email").on(t.email)],
);

/** Per-user preferences inside one space; kept apart from membership so system administrators have them too. */
export const spacePreferences = sqliteTable(
  "space_preferences",
  {
    space: text("space").notNull(),
    email: text("email").notNull(),
    preferences: json<Record<string, unknown>>("preferences").notNull().default({}),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.space, t.email] })],
);

export const systemAdministrators = sqliteTable("system_administrators", {
  email: text("email").primaryKey(),
  roles: json<SystemRole[]>("roles").notNull(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});

export const tokens = sqliteTable(
  "tokens",
  {
    identifier: text("identifier").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at"),
    lastUsed: text("last_used"),
  },
  (t) => [index("tokens_email").on(t.email)],
);

export const tableFilters = sqliteTable(
  "table_filters",
  {
    identifier: text("identifier").primaryKey(),
    email: text("email").notNull(),
    tableKey: text("table_key").notNull(),
    name: text("name").notNull(),
    filter: json<Record<string, unknown>>("filter").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("table_filters_email").on(t.email)],
);

export const auditTrail = sqliteTable(
  "audit_trail",
  {
    identifier: text("identifier").primaryKey(),
    space: text("space"),
    user: text("user"),
    ipAddress: text("ip_address"),
    category: text("category").notNull(),
    action: text("action").notNull(),
    message: text("message").notNull(),
    request: json<Record<string, unknown>>("request").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("audit_trail_space_created").on(t.space, t.createdAt)],
);

/** Installation-wide settings (update cycle, ...), one JSON value per key. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: json<unknown>("value").notNull(),
  updatedAt: text("updated_at").notNull(),
});

// ---- configurations (the Alumio configuration store) -------------------------------------------

export const configurations = sqliteTable(
  "configurations",
  {
    space: text("space").notNull(),
    type: text("type").notNull(),
    identifier: text("identifier").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    object: json<Record<string, unknown>>("object").notNull(),
    context: json<Record<string, unknown>>("context").notNull().default({}),
    owner: text("owner"),
    removable: integer("removable", { mode: "boolean" }).notNull().default(true),
    resettable: integer("resettable", { mode: "boolean" }).notNull().default(false),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    editor: text("editor"),
    labels: json<string[]>("labels").notNull().default([]),
    tags: json<string[]>("tags").notNull().default([]),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.space, t.type, t.identifier] }), index("configurations_owner").on(t.space, t.owner)],
);

/** A full snapshot per change, so any earlier state can be restored. */
export const configurationHistory = sqliteTable(
  "configuration_history",
  {
    ulid: text("ulid").primaryKey(),
    space: text("space").notNull(),
    type: text("type").notNull(),
    identifier: text("identifier").notNull(),
    action: text("action").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    object: json<Record<string, unknown>>("object").notNull(),
    disabled: integer("disabled", { mode: "boolean" }).notNull(),
    labels: json<string[]>("labels").notNull(),
    editor: text("editor"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("configuration_history_config").on(t.space, t.type, t.identifier)],
);

export const favourites = sqliteTable(
  "favourites",
  {
    id: text("id").notNull(),
    space: text("space").notNull(),
    email: text("email").notNull(),
    type: text("type").notNull(),
    identifier: text("identifier").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.space, t.email, t.type, t.identifier] })],
);

/** Values marked encrypted hold AES-GCM ciphertext (`v<keyVersion>:<iv>:<data>`), never plaintext. */
export const environmentVariables = sqliteTable(
  "environment_variables",
  {
    space: text("space").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    value: text("value").notNull(),
    encrypted: integer("encrypted", { mode: "boolean" }).notNull().default(false),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.space, t.name] })],
);
