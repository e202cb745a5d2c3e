/**
 * Inputs of the exam-day papers (准考证, 考场门贴, 考场桌贴, 签到表). They are
 * plain data: the caller reads the database, this module only draws. Times are
 * ISO strings in UTC and are printed in Asia/Shanghai.
 */

/** The level as printed (see LEVEL_NAMES in @kaowu/core). */
export type LevelName = '初级' | '中级' | '高级';

/** One paper of the day, e.g. 理论考试 08:30–10:00. */
export interface SittingTime {
  /** e.g. '理论考试', '实操考试' */
  name: string;
  /** ISO 8601, UTC: '2024-06-15T00:30:00Z' */
  startsAt: string;
  endsAt: string;
}

export interface TicketData {
  ticketNo: string;
  name: string;
  gender?: string;
  /** e.g. '居民身份证' */
  idType: string;
  idNumber: string;
  /** JPEG or PNG; without it the ticket has an empty framed box marked 照片. */
  photo?: Buffer;
  institutionName: string;
  /** e.g. 'Python 程序开发' */
  certificateName: string;
  level: LevelName;
  siteName: string;
  siteAddress?: string;
  roomName: string;
  roomLocation?: string;
  seatNo: string | number;
  sittings: SittingTime[];
}

export interface RoomCandidate {
  seatNo: string | number;
  ticketNo: string;
  name: string;
}

export interface DoorStickerData {
  planName: string;
  siteName: string;
  roomName: string;
  roomLocation?: string;
  level: LevelName;
  sittings: SittingTime[];
  candidates: RoomCandidate[];
}

export interface DeskStickerData {
  roomName: string;
  seatNo: string | number;
  ticketNo: string;
  name: string;
  /** Already masked, e.g. from maskIdNumber(): '110101********123X'. */
  idNumberMasked: string;
  level: LevelName;
}

export interface SignInSheetData {
  planName: string;
  siteName: string;
  roomName: string;
  sitting: SittingTime;
  candidates: (RoomCandidate & { idNumber: string; mark?: SignInMark | null })[];
  /** Names printed beside the proctors' signature lines. */
  proctors?: string[];
  /**
   * The sheet as the proctors marked it (the proctor console's 签到表): each
   * candidate's mark is printed in the signature column and the head count is
   * filled in. Without it the sheet is blank, to sign on paper.
   */
  marked?: boolean;
}

/** A proctor's mark on the sign-in sheet. */
export type SignInMark = '已签到' | '缺考';

export interface FontOptions {
  /** A font file with Chinese glyphs (.ttc/.otc/.otf/.ttf). Default: Noto Sans CJK SC found on the system. */
  fontPath?: string;
  /** PostScript name of the face inside a collection (.ttc), e.g. 'NotoSansCJKsc-Regular'. */
  fontName?: string;
  /** The bold face; default: the bold file next to fontPath, else fontPath itself. */
  boldFontPath?: string;
  boldFontName?: string;
  /** Where to look for the default fonts (default: the usual Linux font folders). */
  searchPaths?: string[];
  /** Ask fontconfig (`fc-match`) when the known paths have nothing (default true). */
  useFontconfig?: boolean;
}

export interface PrintOptions extends FontOptions {
  /** The PDF's Title metadata; each document has its own default. */
  title?: string;
}

/** What a write*() call produced. */
export interface WriteResult {
  pages: number;
  bytes: number;
}
