package main

import "meertijd/internal/i18n"

// describeKey turns a message key into the Dutch sentence the UI shows.
func describeKey(key string) string { return i18n.T("nl", key) }
