// Loaded as the first thing in <body> (an external file, so a strict
// Content-Security-Policy needs no 'unsafe-inline'). It tells GOV.UK
// Frontend's CSS that JavaScript is on and, in browsers that support ES
// modules, that the GOV.UK Frontend JavaScript will run.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
