import type { Kysely } from 'kysely';

/**
 * Rooms' seat layout: rooms.seats_per_row, how many seats a row of the room
 * has (每排座位数). Seats are numbered row by row from the front, so seat s is
 * in row ceil(s / seats_per_row); 考场编排 keeps candidates of one class apart
 * left/right and front/back by it, and the seat maps draw that many columns.
 * Existing rooms get 8, the layout every room was assumed to have until now.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('seats_per_row', 'integer', (c) => c.notNull().defaultTo(8)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').dropColumn('seats_per_row').execute();
}
