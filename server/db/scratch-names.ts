import { randomBytes } from 'node:crypto'

/**
 * Names of the folders the embedded PostgreSQL leaves in its scratch folder (`/dev/shm` or the temp
 * folder), and what each name says about its owner:
 * - `realtime-pg-<pid>-XXXXXX`: the data folder of one run, owned by process `<pid>`;
 * - `realtime-pg-template-<version>-uid<uid>`: the initdb template of a PostgreSQL version, one per
 *   version and user, shared by every checkout;
 * - `realtime-pg-template-….build-<pid>-<hex>` / `.old-<pid>-<hex>`: a template being built or replaced;
 * - `realtime-pg-XXXXXX` and `realtime-pg-template-<16 hex>[.<8 hex>]`: the same from earlier versions
 *   of this server, which did not name their owner.
 */
export type ScratchEntry =
  | { kind: 'data'; ownerPid: number }
  | { kind: 'template'; version: string; uid: number }
  | { kind: 'template-work'; ownerPid: number }
  | { kind: 'legacy-data' }
  | { kind: 'legacy-template' }

const DATA = /^realtime-pg-(\d+)-[A-Za-z0-9]{6}$/
const LEGACY_DATA = /^realtime-pg-[A-Za-z0-9]{6}$/
const TEMPLATE = /^realtime-pg-template-(.+)-uid(\d+)$/
const TEMPLATE_WORK = /^realtime-pg-template-.+-uid\d+\.(?:build|old)-(\d+)-[0-9a-f]+$/
const LEGACY_TEMPLATE = /^realtime-pg-template-[0-9a-f]{16}(?:\.[0-9a-f]{8})?$/

/** The prefix given to `mkdtemp` for a data folder owned by process `pid`. */
export function dataFolderPrefix(pid: number): string {
  return `realtime-pg-${pid}-`
}

/** The template folder of a PostgreSQL version for a user: one per version, whatever the checkout. */
export function templateFolderName(version: string, uid: number): string {
  return `realtime-pg-template-${version.replace(/[^A-Za-z0-9._-]/g, '_')}-uid${uid}`
}

/** A sibling of `templateName` for a template being built (`build`) or set aside (`old`) by process `pid`. */
export function templateWorkName(templateName: string, purpose: 'build' | 'old', pid: number): string {
  return `${templateName}.${purpose}-${pid}-${randomBytes(4).toString('hex')}`
}

/** What a folder name in the scratch folder is, or null for a name that is not ours. */
export function parseScratchName(name: string): ScratchEntry | null {
  if (LEGACY_TEMPLATE.test(name)) return { kind: 'legacy-template' }
  const work = TEMPLATE_WORK.exec(name)
  if (work) return { kind: 'template-work', ownerPid: Number(work[1]) }
  const template = TEMPLATE.exec(name)
  if (template) return { kind: 'template', version: template[1] ?? '', uid: Number(template[2]) }
  const data = DATA.exec(name)
  if (data) return { kind: 'data', ownerPid: Number(data[1]) }
  if (LEGACY_DATA.test(name)) return { kind: 'legacy-data' }
  return null
}
