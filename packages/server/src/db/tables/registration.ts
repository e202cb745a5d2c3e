/** The last ticket serial handed out per plan and site (migration 0006). */
export interface TicketSerialsTable {
  plan_id: string;
  site_id: string;
  last_serial: number;
}
