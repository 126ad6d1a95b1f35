// Follows a background job's progress on its page: polls the status JSON and updates the page,
// reloading it once the job has finished so that the result, download or error is shown.
const root = document.querySelector('[data-module="app-job"]')
if (root && root.dataset.finished !== 'true') {
  const url = root.dataset.statusUrl
  const progress = root.querySelector('[data-job="progress"]')
  const state = root.querySelector('[data-job="state"]')
  const refresh = root.querySelector('[data-job="refresh"]')
  if (refresh) refresh.parentElement.hidden = true
  // Stop after ten minutes: an open page must not keep the session alive past its idle timeout.
  let polls = 400
  const poll = async () => {
    if (--polls < 0) { if (refresh) refresh.parentElement.hidden = false; return }
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) throw new Error(String(response.status))
      const s = await response.json()
      if (s.finished) { window.location.reload(); return }
      state.textContent = s.state_label
      if (s.state === 'queued') {
        progress.textContent = 'Waiting for a worker to start it'
      } else {
        progress.textContent = (s.total ? `${s.done} of ${s.total} (${s.percent}%)` : 'Started') + (s.message ? `: ${s.message}` : '')
      }
    } catch (e) {
      if (refresh) refresh.parentElement.hidden = false
    }
    window.setTimeout(poll, 1500)
  }
  window.setTimeout(poll, 1000)
}
