/*
 * quantity.h: Kubernetes resource quantities ("250m", "1.5Gi", "1e3").
 *
 * Parsing follows apimachinery's resource.Quantity: a signed decimal number
 * followed by a binary suffix (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m k M
 * G T P E) or an exponent (e3, E-2). The value is kept exactly as a decimal
 * mantissa with a power of ten and a power of two, so nothing is lost before
 * the caller asks for a rounded value.
 */
#ifndef OPSDECK_QUANTITY_H
#define OPSDECK_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

enum quantity_format {
	QUANTITY_DECIMAL_SI,    /* "", n u m k M G T P E */
	QUANTITY_BINARY_SI,     /* Ki Mi Gi Ti Pi Ei */
	QUANTITY_DECIMAL_EXP    /* e3, E-2 */
};

struct quantity {
	bool negative;
	uint64_t mantissa;      /* decimal digits of the number, without the point */
	int32_t exp10;          /* value = mantissa * 10^exp10 * 2^exp2 */
	int32_t exp2;
	enum quantity_format format;
};

/* Size of a buffer that fits any canonical quantity string. */
#define QUANTITY_STR_MAX 48

/* Parses s; an error message names the input. */
enum od_status quantity_parse(const char *s, struct quantity *q, struct err *e);

/* Value rounded up to a whole unit (as Quantity.Value()); saturates at the int64 range. */
int64_t quantity_value(const struct quantity *q);

/* Value in thousandths, rounded up (as Quantity.MilliValue()); for CPU millicores. */
int64_t quantity_milli(const struct quantity *q);

/* The canonical string the API server would echo back ("1500m" -> "1500m", "1000m" -> "1", "1024Ki" -> "1Mi"). */
void quantity_format_canonical(const struct quantity *q, char *out, size_t n);

/* Helpers for parsers: parse s and return millis or value, false on malformed input. */
bool quantity_parse_milli(const char *s, int64_t *milli);
bool quantity_parse_value(const char *s, int64_t *value);

/* kubectl top's CPU column: "250m". */
void quantity_format_cpu_milli(int64_t milli, char *out, size_t n);

/* kubectl top's memory column: bytes as whole "Mi" ("123Mi"). */
void quantity_format_mem_mi(int64_t bytes, char *out, size_t n);

/* Human-friendly bytes for opsdeck's own displays: "512Mi", "1.5Gi", "900". */
void quantity_format_bytes(int64_t bytes, char *out, size_t n);

#endif
