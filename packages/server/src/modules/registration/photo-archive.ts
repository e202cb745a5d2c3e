/**
 * The photos in a .zip (考生照片批量上传), read with yauzl one entry at a time.
 * A zip bomb is never inflated: an entry that declares more than 200 KB is
 * refused unread, and one that inflates beyond what it declares fails while
 * inflating (validateEntrySizes), as does one beyond 200 KB (counted here).
 *
 * Folders, macOS's __MACOSX/ and hidden files (.DS_Store, ._photo.jpg) and
 * Windows' Thumbs.db and desktop.ini are skipped; photos may sit in folders,
 * only the base name counts. Names are UTF-8 when the zip says so, else UTF-8
 * if they decode as such, else GB18030 (Windows' own “compressed folder” on a
 * Chinese system writes names in the local code page without saying so).
 */
import yauzl from 'yauzl';
import { AppError, badRequest } from '../../http/errors.ts';
import { checkPhoto, PHOTO_MAX_BYTES, photoSizeProblem, type PhotoMime } from './photos.ts';

export const ARCHIVE_MAX_BYTES = 50 * 1024 * 1024;
export const ARCHIVE_MAX_PHOTOS = 5000;
/** Photos inflated in all: JPEG and PNG hardly compress, so a real archive stays near its own size. */
const ARCHIVE_MAX_INFLATED = 2 * ARCHIVE_MAX_BYTES;

/** One file of the archive: its path inside it, its base name, and its photo or why it is not one. */
export type ArchiveEntry = { file: string; name: string } & ({ mime: PhotoMime; content: Buffer } | { reason: string });

const PHOTO_NAME = /\.(jpe?g|png)$/i;
const SKIPPED = /^(__MACOSX|\.[^.].*|thumbs\.db|desktop\.ini)$/i;

export async function readPhotoArchive(zip: Buffer): Promise<ArchiveEntry[]> {
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzl.fromBufferPromise(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch {
    throw notAZip(zip);
  }
  const entries: ArchiveEntry[] = [];
  let inflated = 0;
  try {
    for await (const entry of zipfile.eachEntry()) {
      const file = entryPath(entry);
      if (file.endsWith('/') || file.split('/').some((part) => SKIPPED.test(part))) continue;
      if (entries.length === ARCHIVE_MAX_PHOTOS) {
        throw badRequest('PHOTOS_TOO_MANY', `压缩包中的文件超过 ${ARCHIVE_MAX_PHOTOS} 个，一次最多上传 ${ARCHIVE_MAX_PHOTOS} 张照片；请分批压缩后上传`);
      }
      const name = file.slice(file.lastIndexOf('/') + 1);
      const refused = refusedUnread(entry, name);
      if (refused) {
        entries.push({ file, name, reason: refused });
        continue;
      }
      inflated += entry.uncompressedSize;
      if (inflated > ARCHIVE_MAX_INFLATED) {
        throw badRequest('PHOTOS_TOO_LARGE', `压缩包中的照片解压后超过 ${ARCHIVE_MAX_INFLATED / 1024 / 1024} MB；请分批压缩后上传`);
      }
      entries.push({ file, name, ...(await inflate(zipfile, entry)) });
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest('PHOTOS_BAD_ZIP', '压缩包已损坏，无法读取其中的文件；请重新压缩后上传');
  }
  if (entries.length === 0) throw badRequest('PHOTOS_EMPTY', '压缩包中没有照片（.jpg、.jpeg 或 .png 文件）');
  return entries;
}

/** Why an entry is refused from what the archive says of it, before inflating anything; or null. */
function refusedUnread(entry: yauzl.Entry, name: string): string | null {
  if (!PHOTO_NAME.test(name)) return '不是照片：文件名应以 .jpg、.jpeg 或 .png 结尾';
  if (entry.isEncrypted()) return '文件已加密：请不设密码重新压缩';
  const sizeProblem = photoSizeProblem(entry.uncompressedSize);
  if (sizeProblem) return sizeProblem.reason;
  if (!entry.canDecodeFileData()) return '不支持的压缩方式：请用 zip 的标准（Deflate）方式重新压缩';
  return null;
}

async function inflate(zipfile: yauzl.ZipFile, entry: yauzl.Entry): Promise<{ mime: PhotoMime; content: Buffer } | { reason: string }> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of await zipfile.openReadStreamPromise(entry)) {
      size += (part as Buffer).length;
      if (size > PHOTO_MAX_BYTES) return { reason: `照片解压后超过 ${PHOTO_MAX_BYTES / 1024} KB` };
      parts.push(part as Buffer);
    }
  } catch {
    return { reason: '无法解压：文件已损坏，或解压后的大小与压缩包中记录的不符' };
  }
  const content = Buffer.concat(parts, size);
  const checked = checkPhoto(content);
  return 'code' in checked ? { reason: checked.reason } : { mime: checked.mime, content };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');

/** The entry's path inside the archive, with forward slashes. */
function entryPath(entry: yauzl.Entry): string {
  const raw = entry.fileNameRaw;
  const unicode = (entry.generalPurposeBitFlag & 0x800) !== 0 || entry.extraFields.some((f) => f.id === 0x7075);
  if (unicode) return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  let name: string;
  try {
    name = utf8.decode(raw);
  } catch {
    name = gb18030.decode(raw);
  }
  return name.replace(/\\/g, '/');
}

/** The answer to a body that is not a zip at all, naming the formats people most often send instead. */
function notAZip(body: Buffer): AppError {
  const other = body.subarray(0, 4).toString('latin1') === 'Rar!' ? 'RAR' : body.subarray(0, 2).toString('latin1') === '7z' ? '7z' : null;
  return badRequest(
    'PHOTOS_BAD_ZIP',
    other ? `这是 ${other} 压缩包，请改用 .zip 格式压缩照片后上传` : '文件不是 zip 压缩包，或压缩包已损坏；请将照片压缩为 .zip 格式后上传',
  );
}
