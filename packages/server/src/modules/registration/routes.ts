/**
 * 考生管理, 报考管理 and 结算 under /api/console. Roles: reading candidates —
 * operator, coordinator, teacher; changing candidates, registrations and
 * settlements — operator and coordinator. Everything is limited to the
 * caller's institution unless they are the operator (scope.ts).
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/schemas.ts';
import { AppError, badRequest, errorBodySchema } from '../../http/errors.ts';
import { ADMINISTRATION_STAFF, CANDIDATE_READERS, requireStaff } from '../accounts/staff-auth.ts';
import { candidateTemplate, exportCandidates, exportSettlement } from '../sheets/index.ts';
import { candidateView, deleteCandidate, exportRows, listCandidates, updateCandidate } from './candidates.ts';
import { importCandidates } from './candidate-import.ts';
import { getPhoto, PHOTO_MAX_BYTES, putPhoto } from './photos.ts';
import { ARCHIVE_MAX_BYTES } from './photo-archive.ts';
import { uploadPhotoArchive } from './photo-batch.ts';
import { classesInScope, institutionsInScope, majorsInScope } from './lookups.ts';
import { listRegistrations, registerCandidates, registrationOptions, withdrawRegistration } from './registrations.ts';
import { settlements, settlementSheet } from './settlements.ts';
import { sendXlsx, XLSX_MIME } from './files.ts';
import * as s from './schemas.ts';

const security = [{ bearer: [] }];
/** An upload of 5,000 candidates is well under 2 MB; the limit leaves room for pictures pasted into the sheet. */
const XLSX_BODY_LIMIT = 10 * 1024 * 1024;

export const registrationModuleRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(candidateRoutes);
  await app.register(registrationRoutes);
  await app.register(settlementRoutes);
};

const candidateRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['考生管理'];
  const readers = requireStaff(...CANDIDATE_READERS);
  const writers = requireStaff(...ADMINISTRATION_STAFF);
  const ctx = app.ctx;
  const db = ctx.db;

  app.addContentTypeParser([XLSX_MIME, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: XLSX_BODY_LIMIT }, (_req, body, done) => done(null, body));
  // Photos: read up to 1 MB so that a too-large photo gets a clear message rather than a bare 413.
  app.addContentTypeParser(['image/jpeg', 'image/png'], { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
  // A .zip of photos (its route reads up to 50 MB, application/octet-stream included).
  app.addContentTypeParser(['application/zip', 'application/x-zip-compressed'], { parseAs: 'buffer', bodyLimit: ARCHIVE_MAX_BYTES }, (_req, body, done) => done(null, body));

  app.get('/candidates', {
    onRequest: readers,
    schema: { tags, security, summary: '考生列表（按院校、专业、班级筛选，分页）', querystring: s.candidateListQuery, response: { 200: s.candidateList, ...errorResponses } },
    handler: async (req) => {
      const { page, pageSize, ...filter } = req.query;
      return listCandidates(db, req.staff, filter, page, pageSize);
    },
  });

  app.get('/candidates/options', {
    onRequest: readers,
    schema: { tags, security, summary: '可选的院校、专业与班级（按权限范围）', response: { 200: s.scopeOptions, ...errorResponses } },
    handler: async (req) => {
      const [institutions, majors, classes] = await Promise.all([institutionsInScope(db, req.staff), majorsInScope(db, req.staff), classesInScope(db, req.staff)]);
      return { institutions, majors, classes };
    },
  });

  app.get('/candidates/template', {
    onRequest: readers,
    schema: { tags, security, summary: '下载考生信息导入模板（.xlsx）' },
    handler: async (req, reply) => {
      const [institutions, majors, classes] = await Promise.all([institutionsInScope(db, req.staff), majorsInScope(db, req.staff), classesInScope(db, req.staff)]);
      return sendXlsx(reply, await candidateTemplate({ institutions, majors, classes }), 'candidate-template.xlsx', '考生信息导入模板.xlsx');
    },
  });

  app.post('/candidates/import', {
    onRequest: writers,
    schema: {
      tags, security,
      summary: '批量导入考生（请求体为 .xlsx 文件本身；有一行错误则全部不导入，并列出每一处错误）',
      response: {
        200: s.importReport,
        400: z.object({ error: z.looseObject({ code: z.string(), message: z.string(), rows: z.array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() })).optional() }) }),
        401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409],
      },
    },
    handler: async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw badRequest('IMPORT_NO_FILE', `请上传 .xlsx 文件（Content-Type: ${XLSX_MIME}）`);
      }
      return importCandidates(ctx, req.staff, req.body);
    },
  });

  app.get('/candidates/export', {
    onRequest: readers,
    schema: { tags, security, summary: '导出考生（按当前筛选；含报考、准考证号、站点、考场与座位）', querystring: s.candidateFilterQuery },
    handler: async (req, reply) => {
      const rows = await exportRows(db, req.staff, req.query);
      return sendXlsx(reply, await exportCandidates(rows), 'candidates.xlsx', '考生名单.xlsx');
    },
  });

  app.patch('/candidates/:id', {
    onRequest: writers,
    schema: { tags, security, summary: '修改考生信息（姓名、手机号、性别、专业、班级、证件号码）', params: s.candidateParams, body: s.candidatePatch, response: { 200: s.candidateView, ...errorResponses } },
    handler: async (req) => updateCandidate(ctx, req.staff, req.params.id, req.body),
  });

  app.delete('/candidates/:id', {
    onRequest: writers,
    schema: { tags, security, summary: '删除考生（已报考的不能删除）', params: s.candidateParams, response: { 200: z.object({ deleted: z.literal(true) }), ...errorResponses } },
    handler: async (req) => {
      await deleteCandidate(ctx, req.staff, req.params.id);
      return { deleted: true as const };
    },
  });

  app.put('/candidates/:id/photo', {
    onRequest: writers,
    schema: {
      tags, security,
      summary: '上传考生照片（请求体为图片本身：JPEG 或 PNG，不超过 200 KB）',
      params: s.candidateParams,
      response: { 200: s.photoReport, ...errorResponses },
    },
    handler: async (req) => {
      if (!Buffer.isBuffer(req.body)) throw badRequest('PHOTO_NOT_IMAGE', `请以 image/jpeg 或 image/png 上传照片（不超过 ${PHOTO_MAX_BYTES / 1024} KB）`);
      return putPhoto(ctx, req.staff, req.params.id, req.body);
    },
  });

  app.post('/candidates/photos', {
    onRequest: [writers, archiveSizeGuard],
    bodyLimit: ARCHIVE_MAX_BYTES,
    schema: {
      tags, security,
      summary: '批量上传考生照片（请求体为 .zip 压缩包本身，不超过 50 MB；按照片文件名或证件号码对应考生；有一个文件不符合要求则全部不保存，并列出每个有问题的文件）',
      response: {
        200: s.photoBatchReport,
        400: z.object({ error: z.looseObject({ code: z.string(), message: z.string(), files: z.array(z.object({ file: z.string(), reason: z.string() })).optional() }) }),
        401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409], 413: errorBodySchema,
      },
    },
    handler: async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw badRequest('PHOTOS_NO_FILE', '请上传照片压缩包（.zip 文件，Content-Type: application/zip）');
      return uploadPhotoArchive(ctx, req.staff, req.body);
    },
  });

  app.get('/candidates/:id/photo', {
    onRequest: readers,
    schema: { tags, security, summary: '考生照片', params: s.candidateParams },
    handler: async (req, reply) => {
      const photo = await getPhoto(ctx, req.staff, req.params.id);
      return reply.type(photo.mime).header('Cache-Control', 'private, no-cache').header('X-Content-Type-Options', 'nosniff').send(photo.content);
    },
  });

  app.get('/candidates/:id', {
    onRequest: readers,
    schema: { tags, security, summary: '一名考生', params: s.candidateParams, response: { 200: s.candidateView, ...errorResponses } },
    handler: async (req) => candidateView(db, req.staff, req.params.id),
  });
};

/** A photo archive over the limit, told before its body is read (a bare 413 would not say what the limit is). */
async function archiveSizeGuard(req: FastifyRequest): Promise<void> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > ARCHIVE_MAX_BYTES) {
    throw new AppError(413, 'PHOTOS_TOO_LARGE', `照片压缩包不能超过 ${ARCHIVE_MAX_BYTES / 1024 / 1024} MB（当前 ${Math.ceil(length / 1024 / 1024)} MB）；请分批压缩后上传`);
  }
}

const registrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['报考管理'];
  const staff = requireStaff(...ADMINISTRATION_STAFF);
  const ctx = app.ctx;

  app.get('/registrations/options', {
    onRequest: staff,
    schema: { tags, security, summary: '报考可选的考试计划（等级、截止时间）、已启用的考核站点与院校', response: { 200: s.registrationOptions, ...errorResponses } },
    handler: async (req) => registrationOptions(ctx, req.staff),
  });

  app.get('/registrations', {
    onRequest: staff,
    schema: { tags, security, summary: '报考列表（含考生姓名与准考证号）', querystring: s.registrationListQuery, response: { 200: s.registrationList, ...errorResponses } },
    handler: async (req) => {
      const { page, pageSize, ...filter } = req.query;
      return listRegistrations(ctx, req.staff, filter, page, pageSize);
    },
  });

  app.post('/registrations', {
    onRequest: staff,
    schema: {
      tags, security,
      summary: '批量报考（全部成功或全部不报考；同一考试计划每名考生只能报考一个等级）',
      body: s.registerBody,
      response: { 200: s.registerResult, ...errorResponses },
    },
    handler: async (req) => registerCandidates(ctx, req.staff, req.body),
  });

  app.delete('/registrations/:id', {
    onRequest: staff,
    schema: { tags, security, summary: '取消报考（报名截止前、考场编排发布前）', params: s.registrationParams, response: { 200: z.object({ deleted: z.literal(true) }), ...errorResponses } },
    handler: async (req) => {
      await withdrawRegistration(ctx, req.staff, req.params.id);
      return { deleted: true as const };
    },
  });
};

const settlementRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['结算'];
  const staff = requireStaff(...ADMINISTRATION_STAFF);
  const ctx = app.ctx;

  app.get('/settlements', {
    onRequest: staff,
    schema: { tags, security, summary: '考务费结算（按考试计划与考核站点，每院校一行）', querystring: s.settlementQuery, response: { 200: s.settlementResult, ...errorResponses } },
    handler: async (req) => settlements(ctx, req.staff, req.query.planId, req.query.siteId),
  });

  app.get('/settlements/export', {
    onRequest: staff,
    schema: { tags, security, summary: '导出一个考核站点的结算单（.xlsx）', querystring: s.settlementExportQuery },
    handler: async (req, reply) => {
      const { data, siteCode } = await settlementSheet(ctx, req.staff, req.query.planId, req.query.siteId);
      return sendXlsx(reply, await exportSettlement(data), `settlement-${siteCode}.xlsx`, `结算单-${data.planName}-${data.siteName}.xlsx`);
    },
  });
};
