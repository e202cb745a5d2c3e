/**
 * Institutions and their people (manual part 1, 模拟练习平台): sign-up and
 * review, invitations of coordinators, majors, classes, teachers, student
 * accounts, and the audit log. Public routes under /public, the rest under
 * /console, each behind requireStaff with its roles.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit-log.ts';
import { classRoutes } from './classes.ts';
import { institutionRoutes } from './institutions.ts';
import { invitationRoutes, publicInvitationRoutes } from './invitations.ts';
import { majorRoutes } from './majors.ts';
import { signupRoutes } from './signup.ts';
import { studentRoutes } from './students.ts';
import { teacherRoutes } from './teachers.ts';

export const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(
    async (pub) => {
      await pub.register(signupRoutes);
      await pub.register(publicInvitationRoutes);
    },
    { prefix: '/public' },
  );
  await app.register(
    async (con) => {
      await con.register(institutionRoutes);
      await con.register(invitationRoutes);
      await con.register(majorRoutes);
      await con.register(classRoutes);
      await con.register(teacherRoutes);
      await con.register(studentRoutes);
      await con.register(auditRoutes);
    },
    { prefix: '/console' },
  );
};
