// Initialises every GOV.UK Frontend component on the page (error summary
// focus, notification banners, service navigation menu, etc.).
import { initAll } from './govuk-frontend.min.js'

initAll()
