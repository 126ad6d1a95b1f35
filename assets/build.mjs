// Copies front-end files into vrhub/static/vrhub/ (run via `npm run build`;
// the CSS itself is compiled by the `build:css` script with Sass).
//
// - js/govuk-frontend.min.js: GOV.UK Frontend's ES module bundle, with its
//   sourceMappingURL comment removed (we do not ship the .map file).
// - images/: our own icons from assets/images/. GOV.UK Frontend's
//   dist/govuk/assets/images are all the crown (favicons, touch icons, mask
//   icon, crest, Open Graph image) and GOV.UK's fonts are for GOV.UK only,
//   so nothing from dist/govuk/assets is copied.
// - manifest.json: web app manifest pointing at our icons (paths are
//   relative to the manifest, which sits next to images/).

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(here, '..', 'vrhub', 'static', 'vrhub')

const show = (path) => relative(join(here, '..'), path)

async function write (to, contents) {
  await mkdir(dirname(to), { recursive: true })
  await writeFile(to, contents)
  console.log(`wrote ${show(to)}`)
}

async function copy (from, to) {
  await mkdir(dirname(to), { recursive: true })
  await copyFile(from, to)
  console.log(`copied ${show(to)}`)
}

// GOV.UK Frontend JavaScript (ES module)
const js = await readFile(join(dist, 'govuk-frontend.min.js'), 'utf8')
await write(
  join(out, 'js', 'govuk-frontend.min.js'),
  js.replace(/\s*\/\/# sourceMappingURL=\S+\s*$/, '') + '\n'
)

// Our icons
const icons = [
  'favicon.ico',
  'favicon.svg',
  'icon-mask.svg',
  'icon-180.png',
  'icon-192.png',
  'icon-512.png'
]
for (const name of icons) {
  await copy(join(here, 'images', name), join(out, 'images', name))
}

// Web app manifest
const manifest = {
  name: 'vrhub — Violence Reduction Hub',
  short_name: 'vrhub',
  icons: [
    { src: 'images/favicon.ico', type: 'image/x-icon', sizes: '16x16 32x32 48x48' },
    { src: 'images/favicon.svg', type: 'image/svg+xml', sizes: 'any', purpose: 'any' },
    { src: 'images/icon-180.png', type: 'image/png', sizes: '180x180' },
    { src: 'images/icon-192.png', type: 'image/png', sizes: '192x192' },
    { src: 'images/icon-512.png', type: 'image/png', sizes: '512x512' },
    { src: 'images/icon-mask.svg', type: 'image/svg+xml', sizes: 'any', purpose: 'monochrome' }
  ]
}
await write(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

const { version } = JSON.parse(
  await readFile(join(here, 'node_modules', 'govuk-frontend', 'package.json'), 'utf8')
)
console.log(`done (govuk-frontend ${version})`)
