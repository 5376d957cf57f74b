"""Routing suggestions ("啥事儿该找谁"): appeal text → handling unit code. See docs/routing.md."""
