import { LeftOutOfBundleError } from './left-out-error'

type Params = Record<string, unknown>

/**
 * Stands in for `@supabase/phoenix`'s `Ajax` helper: the socket only builds its URL with
 * `appendParams` (kept, as in Phoenix); the requests belong to the long-poll transport.
 */
class Ajax {
  static request(): never {
    throw new LeftOutOfBundleError('The Phoenix long-poll requests (Ajax)')
  }

  static serialize(obj: Params, parentKey?: string): string {
    const query: string[] = []
    for (const key in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, key)) continue
      const paramKey = parentKey ? `${parentKey}[${key}]` : key
      const value = obj[key]
      query.push(typeof value === 'object' ? Ajax.serialize(value as Params, paramKey) : `${encodeURIComponent(paramKey)}=${encodeURIComponent(String(value))}`)
    }
    return query.join('&')
  }

  static appendParams(url: string, params: Params): string {
    if (Object.keys(params).length === 0) return url
    return `${url}${/\?/.test(url) ? '&' : '?'}${Ajax.serialize(params)}`
  }
}

// NOTE: Phoenix imports its modules' default exports.
export { Ajax as default }
