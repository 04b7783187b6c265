/*
 * fuzz/alerts.c: Alertmanager's /api/v2/alerts and /api/v2/silences answers,
 * whatever their bytes: the parsers never crash, leak or read past the
 * input; whatever parses prints as a table and as JSON, and silence coverage
 * (regex matchers included) is worked out for every pair.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/alerts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct am_alerts a = { 0 };
	struct err e = { 0 };
	struct buf out;
	char text[512];

	/* One input feeds both parsers: the alerts, then the same bytes as silences. */
	(void)am_alerts_parse((const char *)data, size, &a, &e);
	(void)am_silences_parse((const char *)data, size, &a, &e);
	buf_init(&out, 1u << 20);
	(void)am_alerts_table(&a, 1767225600, &out, &e);
	buf_reset(&out);
	(void)am_alerts_json(&a, 1767225600, &out, &e);
	for (size_t i = 0; i < a.nalerts && i < 16; i++) {
		am_alert_labels_text(&a.alerts[i], text, sizeof(text));
		am_alert_silences_text(&a, &a.alerts[i], text, sizeof(text));
		(void)am_alert_label(&a.alerts[i], "alertname");
	}
	buf_free(&out);
	am_alerts_clear(&a);
	return 0;
}
