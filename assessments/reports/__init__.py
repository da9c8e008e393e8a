"""The assessment report: its content, its rendered versions, and the pages and API that
request and serve them.

Read `content` for what goes into a report, `services` for rendering and storing a version,
`selectors` for who sees which version.
"""
