/**
 * Printing from the database: one plan at one or more sites (optionally one
 * room) → one PDF, and a print_log row per site (the readiness checklist reads
 * them). Used by the console's download routes and by `kaowu print`.
 */
import { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newId, nowIso } from '../../ids.ts';
import type { PlanRow, SiteRow } from '../arrangement/load.ts';
import { writeDeskStickers, writeDoorStickers, writeSignInSheets, writeTickets } from './index.ts';
import {
  candidatesOf, deskData, doorData, loadPrintSite, PRINT_KIND_NAMES, signInData, ticketData, type PrintKind, type PrintSite,
} from './print-data.ts';
import type { PrintOptions, WriteResult } from './types.ts';

/** Draws one kind of paper for the loaded sites into `dest`. */
async function draw(kind: PrintKind, sites: PrintSite[], dest: string | Writable, opts: PrintOptions): Promise<WriteResult> {
  switch (kind) {
    case 'tickets':
      return writeTickets(sites.flatMap(ticketData), dest, opts);
    case 'door':
      return writeDoorStickers(sites.flatMap(doorData), dest, opts);
    case 'desk':
      return writeDeskStickers(sites.flatMap(deskData), dest, opts);
    case 'signin':
      return writeSignInSheets(sites.flatMap(signInData), dest, opts);
  }
}

/** A writable that keeps what it is given. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(private readonly keep: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.keep) this.chunks.push(chunk);
    done();
  }
}

export interface PrintJob {
  kind: PrintKind;
  plan: PlanRow;
  sites: SiteRow[];
  roomId?: string;
  /** Who printed (a user id, or e.g. "cli"). */
  printedBy: string;
  now: number;
  /** A file path to write; without it the PDF is returned in memory. */
  out?: string;
  pdf?: PrintOptions;
}

export interface PrintOutcome {
  pdf: Buffer | null;
  pages: number;
  bytes: number;
  candidates: number;
  rooms: number;
  sites: { siteId: string; pages: number; candidates: number }[];
}

/** Loads, draws and logs. Throws (409/400/404) before drawing when the papers cannot be printed. */
export async function printPapers(db: Kysely<DB>, job: PrintJob): Promise<PrintOutcome> {
  const what = PRINT_KIND_NAMES[job.kind];
  const loaded: PrintSite[] = [];
  for (const site of job.sites) {
    loaded.push(await loadPrintSite(db, job.plan, site, { roomId: job.roomId, photos: job.kind === 'tickets', what }));
  }
  const sink = job.out ? null : new Sink(true);
  const result = await draw(job.kind, loaded, job.out ?? sink!, job.pdf ?? {});

  // Pages per site: the whole document for one site; for several, what each would print on its own.
  const perSite: PrintOutcome['sites'] = [];
  for (const s of loaded) {
    let pages = result.pages;
    if (loaded.length > 1) pages = job.kind === 'tickets' ? candidatesOf(s) : (await draw(job.kind, [s], new Sink(false), job.pdf ?? {})).pages;
    perSite.push({ siteId: s.site.id, pages, candidates: candidatesOf(s) });
  }
  const printedAt = nowIso(job.now);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('print_log')
      .values(perSite.map((s) => ({ id: newId(), plan_id: job.plan.id, site_id: s.siteId, kind: job.kind, pages: s.pages, printed_by: job.printedBy, printed_at: printedAt })))
      .execute();
  });
  return {
    pdf: sink ? Buffer.concat(sink.chunks) : null,
    pages: result.pages,
    bytes: result.bytes,
    candidates: loaded.reduce((n, s) => n + candidatesOf(s), 0),
    rooms: loaded.reduce((n, s) => n + s.rooms.length, 0),
    sites: perSite,
  };
}

/** `准考证-南京信息职业技术学院考点-第01考场-260718.pdf`, and an ASCII name for old clients. */
export function printFileNames(kind: PrintKind, plan: PlanRow, site: SiteRow, room?: { name: string } | null): { name: string; ascii: string } {
  const safe = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '');
  const tag = plan.code ?? plan.exam_date.replace(/-/g, '');
  return {
    name: `${PRINT_KIND_NAMES[kind]}-${safe(site.name)}${room ? `-${safe(room.name)}` : ''}-${tag}.pdf`,
    ascii: `${kind}-${site.code}${room ? '-room' : ''}-${tag}.pdf`.replace(/[^\x20-\x7e]|["\\]/g, '_'),
  };
}

/** Content-Disposition with the Chinese name in filename* (RFC 5987/6266). */
export function contentDisposition(name: string, ascii: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
