import type { FastifyReply } from 'fastify';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a workbook as a download: an ASCII name for old clients, the Chinese one in filename* (RFC 6266). */
export function sendXlsx(reply: FastifyReply, content: Buffer, asciiName: string, name: string): FastifyReply {
  return reply
    .type(XLSX_MIME)
    .header('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('Cache-Control', 'no-store')
    .send(content);
}
