// @vitest-environment node
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanPostgresCaches } from '../../server/db/clean-postgres-caches'
import { dataDirTemplate } from '../../server/db/data-dir-template'
import { readFolderOwner, writeFolderOwner } from '../../server/db/folder-owner'
import { isProcessRunning, processStartTime } from '../../server/db/process-liveness'
import { dataFolderPrefix, parseScratchName, templateFolderName, templateWorkName } from '../../server/db/scratch-names'
import { sweepStaleFolders } from '../../server/db/sweep-stale-folders'

const roots: string[] = []
const sleepers: number[] = []

afterEach(() => {
  for (const pid of sleepers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

function tempRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'scratch-test-'))
  roots.push(root)
  return root
}

/** The PID of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true')
  await new Promise((resolve) => child.once('exit', resolve))
  return child.pid ?? 0
}

/** A running process that leads its own group, like a postmaster. */
function sleeper(): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' })
  child.unref()
  const pid = child.pid ?? 0
  sleepers.push(pid)
  return pid
}

function folder(root: string, name: string): string {
  const full = path.join(root, name)
  mkdirSync(path.join(full, 'data'), { recursive: true })
  writeFileSync(path.join(full, 'data', 'PG_VERSION'), '18\n')
  return full
}

function makeOld(full: string): void {
  const past = new Date(Date.now() - 3_600_000)
  utimesSync(full, past, past)
}

describe('scratch folder names', () => {
  it('names a data folder after its owner process', () => {
    const name = `${dataFolderPrefix(4242)}Ab3xYz`
    expect(parseScratchName(name)).toEqual({ kind: 'data', ownerPid: 4242 })
  })

  it('names one template per PostgreSQL version and user, without the checkout in it', () => {
    const name = templateFolderName('18.4.0-beta.17', 0)
    expect(name).toBe('realtime-pg-template-18.4.0-beta.17-uid0')
    expect(name).not.toContain(path.basename(process.cwd()))
    expect(parseScratchName(name)).toEqual({ kind: 'template', version: '18.4.0-beta.17', uid: 0 })
    expect(templateFolderName('18.4.0-beta.17', 0)).toBe(name)
    expect(templateFolderName('custom/../x', 1000)).toBe('realtime-pg-template-custom_.._x-uid1000')
  })

  it('names a template being built or replaced after the process doing it', () => {
    const template = templateFolderName('18.4.0', 0)
    expect(parseScratchName(templateWorkName(template, 'build', 77))).toEqual({ kind: 'template-work', ownerPid: 77 })
    expect(parseScratchName(templateWorkName(template, 'old', 78))).toEqual({ kind: 'template-work', ownerPid: 78 })
    expect(templateWorkName(template, 'build', 77)).not.toBe(templateWorkName(template, 'build', 77))
  })

  it('recognises the folders of earlier versions and ignores names that are not its own', () => {
    expect(parseScratchName('realtime-pg-cL5ETI')).toEqual({ kind: 'legacy-data' })
    expect(parseScratchName('realtime-pg-template-ea37a7cd70f5e9dc')).toEqual({ kind: 'legacy-template' })
    expect(parseScratchName('realtime-pg-template-ea37a7cd70f5e9dc.0a1b2c3d')).toEqual({ kind: 'legacy-template' })
    for (const name of ['PostgreSQL.3308041200', 'realtime-postgres-linux-x64-18.4.0-uid0', 'realtime-pg-', 'other']) {
      expect(parseScratchName(name)).toBeNull()
    }
  })
})

describe('folder owner file', () => {
  it('reads back the owner and the process groups it lists', () => {
    const root = tempRoot()
    const owner = { pid: process.pid, startTime: processStartTime(process.pid) }
    writeFolderOwner(root, { owner, groups: [{ pid: 12, startTime: null }] })
    expect(readFolderOwner(root)).toEqual({ owner, groups: [{ pid: 12, startTime: null }] })
    expect(readFolderOwner(path.join(root, 'missing'))).toBeNull()
  })
})

describe('sweepStaleFolders', () => {
  it('removes the data folder of an owner that is gone and keeps the folder of a running owner', async () => {
    const root = tempRoot()
    const gone = await deadPid()
    const stale = folder(root, `${dataFolderPrefix(gone)}aaaaaa`)
    writeFolderOwner(stale, { owner: { pid: gone, startTime: null }, groups: [] })
    const halfDeleted = folder(root, `${dataFolderPrefix(gone)}bbbbbb`)
    const live = folder(root, `${dataFolderPrefix(process.pid)}cccccc`)
    writeFolderOwner(live, { owner: { pid: process.pid, startTime: processStartTime(process.pid) }, groups: [] })

    const report = await sweepStaleFolders(root)

    expect(report.removed.sort()).toEqual([stale, halfDeleted].sort())
    expect(existsSync(stale) || existsSync(halfDeleted)).toBe(false)
    expect(existsSync(live)).toBe(true)
  })

  it('removes the folder of a PID now used by another process (start time differs)', async () => {
    const root = tempRoot()
    const reused = folder(root, `${dataFolderPrefix(process.pid)}dddddd`)
    writeFolderOwner(reused, { owner: { pid: process.pid, startTime: '1' }, groups: [] })
    expect((await sweepStaleFolders(root)).removed).toEqual([reused])
  })

  it('stops the PostgreSQL a killed owner left running, then removes its folder', async () => {
    const root = tempRoot()
    const gone = await deadPid()
    const postmaster = sleeper()
    const stale = folder(root, `${dataFolderPrefix(gone)}eeeeee`)
    writeFolderOwner(stale, { owner: { pid: gone, startTime: null }, groups: [{ pid: postmaster, startTime: processStartTime(postmaster) }] })

    const report = await sweepStaleFolders(root)

    expect(report.stoppedGroups).toEqual([postmaster])
    expect(isProcessRunning(postmaster)).toBe(false)
    expect(existsSync(stale)).toBe(false)
  })

  it('never signals a recorded PID that now names another process', async () => {
    const root = tempRoot()
    const gone = await deadPid()
    const stranger = sleeper()
    const stale = folder(root, `${dataFolderPrefix(gone)}ffffff`)
    writeFolderOwner(stale, { owner: { pid: gone, startTime: null }, groups: [{ pid: stranger, startTime: '1' }] })

    const report = await sweepStaleFolders(root)

    expect(report.stoppedGroups).toEqual([])
    expect(isProcessRunning(stranger)).toBe(true)
    expect(existsSync(stale)).toBe(false)
  })

  it('removes a template half built by a process that is gone and keeps finished templates', async () => {
    const root = tempRoot()
    const template = folder(root, templateFolderName('18.4.0', 0))
    const halfBuilt = folder(root, templateWorkName(templateFolderName('18.4.0', 0), 'build', await deadPid()))
    const building = folder(root, templateWorkName(templateFolderName('18.4.0', 0), 'build', process.pid))

    expect((await sweepStaleFolders(root)).removed).toEqual([halfBuilt])
    expect(existsSync(template) && existsSync(building)).toBe(true)
  })

  it('removes folders of earlier versions only once they are old and no PostgreSQL runs in them', async () => {
    const root = tempRoot()
    const recent = folder(root, 'realtime-pg-Recent')
    const old = folder(root, 'realtime-pg-OldOne')
    makeOld(old)
    const running = folder(root, 'realtime-pg-Runnin')
    writeFileSync(path.join(running, 'data', 'postmaster.pid'), `${process.pid}\n${running}/data\n`)
    makeOld(running)
    const oldTemplate = folder(root, 'realtime-pg-template-ea37a7cd70f5e9dc')
    makeOld(oldTemplate)
    const other = folder(root, 'PostgreSQL.1234')
    makeOld(other)

    const report = await sweepStaleFolders(root)

    expect(report.removed.sort()).toEqual([old, oldTemplate].sort())
    expect(readdirSync(root).sort()).toEqual(['PostgreSQL.1234', 'realtime-pg-Recent', 'realtime-pg-Runnin'])
    expect(existsSync(recent)).toBe(true)
  })
})

describe('dataDirTemplate', () => {
  const build = async (dataDir: string): Promise<void> => {
    mkdirSync(dataDir, { recursive: true })
    await new Promise((resolve) => setTimeout(resolve, 20))
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '18\n')
  }

  it('builds one template per version, shared by concurrent starts, and leaves no work folder', async () => {
    const root = tempRoot()
    const options = { root, version: '18.4.0', uid: 0, settings: '["--no-sync"]', build }
    const paths = await Promise.all([dataDirTemplate(options), dataDirTemplate(options), dataDirTemplate(options)])

    expect(new Set(paths)).toEqual(new Set([path.join(root, templateFolderName('18.4.0', 0), 'data')]))
    expect(readdirSync(root)).toEqual([templateFolderName('18.4.0', 0)])
  })

  it('replaces a template made with other settings instead of keeping a second one', async () => {
    const root = tempRoot()
    await dataDirTemplate({ root, version: '18.4.0', uid: 0, settings: 'before', build })
    let builds = 0
    const rebuilt = await dataDirTemplate({ root, version: '18.4.0', uid: 0, settings: 'after', build: (dir) => (builds++, build(dir)) })
    await dataDirTemplate({ root, version: '18.4.0', uid: 0, settings: 'after', build: (dir) => (builds++, build(dir)) })

    expect(builds).toBe(1)
    expect(existsSync(path.join(rebuilt, 'PG_VERSION'))).toBe(true)
    expect(readdirSync(root)).toEqual([templateFolderName('18.4.0', 0)])
  })

  it('removes its work folder when the build fails', async () => {
    const root = tempRoot()
    const failing = dataDirTemplate({ root, version: '18.4.0', uid: 0, settings: 's', build: () => Promise.reject(new Error('initdb failed')) })
    await expect(failing).rejects.toThrow('initdb failed')
    expect(readdirSync(root)).toEqual([])
  })
})

describe('cleanPostgresCaches', () => {
  it('removes templates of every version and binary copies, and keeps data folders of running servers', async () => {
    const root = tempRoot()
    const copies = tempRoot()
    folder(root, templateFolderName('18.4.0', 0))
    folder(root, templateFolderName('17.2.0', 1000))
    const live = folder(root, `${dataFolderPrefix(process.pid)}gggggg`)
    writeFolderOwner(live, { owner: { pid: process.pid, startTime: processStartTime(process.pid) }, groups: [] })
    folder(copies, 'realtime-postgres-linux-x64-18.4.0-beta.17-uid0')
    folder(copies, 'unrelated')

    const report = await cleanPostgresCaches({ scratchRoot: root, binaryCopyRoots: [copies] })

    expect(report.removed).toHaveLength(3)
    expect(readdirSync(root)).toEqual([path.basename(live)])
    expect(readdirSync(copies)).toEqual(['unrelated'])
  })
})
