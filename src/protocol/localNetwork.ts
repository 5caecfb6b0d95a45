export type LocalNetworkPermission = 'granted' | 'denied' | 'prompt'

/**
 * Chromium gates a public page's connections to loopback and private addresses behind a permission; the name has
 * changed between versions ('loopback-network' for loopback, 'local-network-access' before, 'local-network'
 * after). Browsers that know none of them throw a TypeError from `query`, and we simply never learn a state.
 */
const PERMISSION_NAMES = ['loopback-network', 'local-network-access', 'local-network']

let state: LocalNetworkPermission | undefined
let watching = false

/** Start following the permission (once per page); safe where the Permissions API or these names do not exist. */
export function watchLocalNetworkPermission(): void {
  if (watching || typeof navigator === 'undefined' || !navigator.permissions?.query) return
  watching = true
  void (async () => {
    for (const name of PERMISSION_NAMES) {
      try {
        const status = await navigator.permissions.query({ name } as unknown as PermissionDescriptor)
        state = status.state
        status.addEventListener('change', () => {
          state = status.state
        })
        return
      }
      catch {
        // Not a permission this browser knows: try the next name.
      }
    }
  })()
}

/** The state last reported, for diagnoses; undefined where the browser does not say. */
export function currentLocalNetworkPermission(): LocalNetworkPermission | undefined {
  return state
}
