/**
 * Exam fees and their settlement (manual part 2, section 5): 300 yuan per
 * candidate per sitting, any level; the operator (培训评价组织) keeps 240 and
 * the exam site (考核站点) 60. An institution pays 300 per registration and is
 * refunded 60; the institution that is itself the site pays 240 directly,
 * with no refund. Amounts are whole yuan.
 */
export const FEE_PER_REGISTRATION = 300;
export const OPERATOR_SHARE = 240;
export const SITE_SHARE = FEE_PER_REGISTRATION - OPERATOR_SHARE;

/** The rule as printed on settlement sheets. */
export const SETTLEMENT_RULE = `每人每次 ${FEE_PER_REGISTRATION} 元：培训评价组织 ${OPERATOR_SHARE} 元，考核站点 ${SITE_SHARE} 元`;

export const SETTLEMENT_MODES = {
  /** The institution that is the exam site. */
  direct: `站点院校直缴 ${OPERATOR_SHARE} 元/人`,
  /** Any other institution. */
  refund: `缴 ${FEE_PER_REGISTRATION} 元/人，返还 ${SITE_SHARE} 元/人`,
} as const;
export type SettlementMode = (typeof SETTLEMENT_MODES)[keyof typeof SETTLEMENT_MODES];

export interface InstitutionRegistrations {
  institutionId: string;
  institutionName: string;
  /** Registrations (one per candidate per plan) this institution pays for. */
  count: number;
}

export interface SettlementLine {
  institutionId: string;
  institutionName: string;
  registrations: number;
  /** What the institution pays. */
  payable: number;
  /** What the operator refunds it afterwards (the manual: 我单位后向试点院校返 60 元/人). */
  refund: number;
  /** payable − refund: always 240 per registration. */
  net: number;
  mode: SettlementMode;
}

export interface SettlementTotals {
  registrations: number;
  payable: number;
  refund: number;
  net: number;
  /** The operator's income: 240 per registration. */
  operatorShare: number;
  /** The site's income: 60 per registration (refunds kept back plus the site institution's saving). */
  siteShare: number;
}

export interface Settlement {
  lines: SettlementLine[];
  totals: SettlementTotals;
}

/**
 * The settlement of one site for one plan. Entries of the same institution are
 * added up; institutions with no registrations are left out; the site's own
 * institution comes first, the others keep their order.
 */
export function settle(registrationsByInstitution: readonly InstitutionRegistrations[], siteInstitutionId: string): Settlement {
  const counts = new Map<string, { institutionName: string; count: number }>();
  for (const r of registrationsByInstitution) {
    if (!Number.isSafeInteger(r.count) || r.count < 0) {
      throw new RangeError(`院校“${r.institutionName}”的报考人数不正确：${r.count}`);
    }
    const seen = counts.get(r.institutionId);
    if (seen) seen.count += r.count;
    else counts.set(r.institutionId, { institutionName: r.institutionName, count: r.count });
  }
  const lines: SettlementLine[] = [];
  for (const [institutionId, { institutionName, count }] of counts) {
    if (count === 0) continue;
    const isSite = institutionId === siteInstitutionId;
    const payable = count * (isSite ? OPERATOR_SHARE : FEE_PER_REGISTRATION);
    const refund = isSite ? 0 : count * SITE_SHARE;
    const line: SettlementLine = {
      institutionId,
      institutionName,
      registrations: count,
      payable,
      refund,
      net: payable - refund,
      mode: isSite ? SETTLEMENT_MODES.direct : SETTLEMENT_MODES.refund,
    };
    if (isSite) lines.unshift(line);
    else lines.push(line);
  }
  const sum = (f: (l: SettlementLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  const registrations = sum((l) => l.registrations);
  return {
    lines,
    totals: {
      registrations,
      payable: sum((l) => l.payable),
      refund: sum((l) => l.refund),
      net: sum((l) => l.net),
      operatorShare: registrations * OPERATOR_SHARE,
      siteShare: registrations * SITE_SHARE,
    },
  };
}
