export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  display_name: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}
