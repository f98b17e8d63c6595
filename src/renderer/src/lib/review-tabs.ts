// The review screen's tabs, in order; each is a URL (…/review/threshold). Here, not in the router, so views can read them without importing the router that imports them.
export const REVIEW_TABS = [['review', 'Review'], ['threshold', 'Threshold'], ['metrics', 'Metrics'], ['features', 'Feature plots'], ['report', 'Report']] as const
export type ReviewTab = (typeof REVIEW_TABS)[number][0]
