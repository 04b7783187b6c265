/*
 * status.c: Status objects and the kubectl wording of every error a request
 * can end with (see status.h). The generic messages for responses without a
 * Status body are apimachinery's NewGenericServerResponse texts, so opsdeck
 * and kubectl print the same line for the same response.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "opsdeck/status.h"

/* client-go keeps at most this much of a non-Status error body. */
#define STATUS_UNSTRUCTURED_MAX 2048

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len;

	if (!src)
		src = "";
	len = strnlen(src, n - 1);  /* cut long server messages rather than overflow */
	memcpy(dst, src, len);
	dst[len] = '\0';
}

enum od_status status_parse(const char *body, size_t len, struct kube_status *st,
			    struct err *e)
{
	cJSON *root = NULL;
	enum od_status rc = OD_OK;

	memset(st, 0, sizeof(*st));
	if (!body || len == 0)
		return err_set(e, OD_EPARSE, "empty response body");
	root = cJSON_ParseWithLength(body, len);
	if (!root || !cJSON_IsObject(root)) {
		rc = err_set(e, OD_EPARSE, "response body is not a JSON object");
		goto out;
	}
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "Status") != 0) {
		rc = err_set(e, OD_EPARSE, "response body is not a Status");
		goto out;
	}
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
	if (cJSON_IsNumber(code) && code->valuedouble >= 0 && code->valuedouble < 1000)
		st->code = (int)code->valuedouble;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "status");
	copy_str(st->status, sizeof(st->status), cJSON_IsString(v) ? v->valuestring : NULL);
	v = cJSON_GetObjectItemCaseSensitive(root, "reason");
	copy_str(st->reason, sizeof(st->reason), cJSON_IsString(v) ? v->valuestring : NULL);
	v = cJSON_GetObjectItemCaseSensitive(root, "message");
	copy_str(st->message, sizeof(st->message), cJSON_IsString(v) ? v->valuestring : NULL);
out:
	cJSON_Delete(root);
	if (rc != OD_OK)
		memset(st, 0, sizeof(*st));
	return rc;
}

/* Go's %q for the server's text: quotes, backslashes and control bytes escaped. */
static void go_quote(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0;

	if (n < 3)
		return;
	out[o++] = '"';
	for (size_t i = 0; i < len && o + 6 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (c == '\r') {
			out[o++] = '\\';
			out[o++] = 'r';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

void status_from_http(int http_code, const char *body, size_t len, bool body_is_text,
		      struct kube_status *st)
{
	char server_msg[STATUS_UNSTRUCTURED_MAX + 1];
	char quoted[ERR_MSG_MAX];
	const char *reason = "Unknown";

	memset(st, 0, sizeof(*st));
	st->code = http_code;
	copy_str(st->status, sizeof(st->status), "Failure");

	/* client-go: the body's text for text responses, else "unknown" */
	if (body_is_text && body) {
		if (len > STATUS_UNSTRUCTURED_MAX)
			len = STATUS_UNSTRUCTURED_MAX;
		while (len > 0 && strchr(" \t\r\n", body[len - 1]))
			len--;
		while (len > 0 && strchr(" \t\r\n", body[0])) {
			body++;
			len--;
		}
		memcpy(server_msg, body, len);
		server_msg[len] = '\0';
	} else {
		copy_str(server_msg, sizeof(server_msg), "unknown");
	}

	snprintf(st->message, sizeof(st->message),
		 "the server responded with the status code %d but did not return more information",
		 http_code);
	switch (http_code) {
	case 400:
		reason = "BadRequest";
		copy_str(st->message, sizeof(st->message),
			 "the server rejected our request for an unknown reason");
		break;
	case 401:
		reason = "Unauthorized";
		copy_str(st->message, sizeof(st->message),
			 "the server has asked for the client to provide credentials");
		break;
	case 403:
		reason = "Forbidden";
		copy_str(st->message, sizeof(st->message), server_msg);
		break;
	case 404:
		reason = "NotFound";
		copy_str(st->message, sizeof(st->message),
			 "the server could not find the requested resource");
		break;
	case 405:
		reason = "MethodNotAllowed";
		copy_str(st->message, sizeof(st->message),
			 "the server does not allow this method on the requested resource");
		break;
	case 406:
		reason = "NotAcceptable";
		copy_str(st->message, sizeof(st->message),
			 strcmp(server_msg, "unknown") == 0 || !server_msg[0]
				 ? "the server was unable to respond with a content type that the client supports"
				 : server_msg);
		break;
	case 409:
		reason = "Conflict";
		copy_str(st->message, sizeof(st->message), "the server reported a conflict");
		break;
	case 415:
		reason = "UnsupportedMediaType";
		copy_str(st->message, sizeof(st->message), server_msg);
		break;
	case 422:
		reason = "Invalid";
		copy_str(st->message, sizeof(st->message),
			 "the server rejected our request due to an error in our request");
		break;
	case 429:
		reason = "TooManyRequests";
		copy_str(st->message, sizeof(st->message),
			 "the server has received too many requests and has asked us to try again later");
		break;
	case 503:
		reason = "ServiceUnavailable";
		copy_str(st->message, sizeof(st->message),
			 "the server is currently unable to handle the request");
		break;
	case 504:
		reason = "Timeout";
		copy_str(st->message, sizeof(st->message),
			 "the server was unable to return a response in the time allotted, but may still be processing the request");
		break;
	default:
		if (http_code >= 500) {
			reason = "InternalError";
			go_quote(quoted, sizeof(quoted) - 80, server_msg, strlen(server_msg));
			snprintf(st->message, sizeof(st->message),
				 "an error on the server (%s) has prevented the request from succeeding",
				 quoted);
		}
		break;
	}
	copy_str(st->reason, sizeof(st->reason), reason);
}

/* client-go's isTextResponse: no Content-Type, or a text/ media type. */
static bool is_text_content(const char *content_type)
{
	if (!content_type || !content_type[0])
		return true;
	while (*content_type == ' ')
		content_type++;
	return strncasecmp(content_type, "text/", 5) == 0;
}

enum od_status status_error_from_status(const struct kube_status *st, struct err *e)
{
	enum od_status s = OD_EHTTP;

	if (st->code == 401 || strcmp(st->reason, "Unauthorized") == 0 ||
	    strcmp(st->reason, "Forbidden") == 0 || st->code == 403)
		s = OD_EPERM;
	else if (st->code == 404 || strcmp(st->reason, "NotFound") == 0)
		s = OD_ENOENT;

	/* kubectl's StandardErrorMessage decides on the reason, not the code */
	if (strcmp(st->reason, "Unauthorized") == 0)
		return err_set(e, s, "error: You must be logged in to the server (%s)", st->message);
	if (st->reason[0])
		return err_set(e, s, "Error from server (%s): %s", st->reason, st->message);
	return err_set(e, s, "Error from server: %s", st->message);
}

enum od_status status_error_from_response(int http_code, const char *content_type,
					  const char *body, size_t len,
					  struct kube_status *st, struct err *e)
{
	struct kube_status local;
	struct kube_status *s = st ? st : &local;

	if (status_parse(body, len, s, NULL) == OD_OK) {
		if (s->code == 0)
			s->code = http_code;
		if (!s->message[0]) {
			struct kube_status generic;
			status_from_http(http_code, NULL, 0, false, &generic);
			memcpy(s->message, generic.message, sizeof(s->message));
			if (!s->reason[0])
				memcpy(s->reason, generic.reason, sizeof(s->reason));
		}
	} else {
		status_from_http(http_code, body, len, is_text_content(content_type), s);
	}
	return status_error_from_status(s, e);
}

enum od_status status_error_refused(const char *hostport, struct err *e)
{
	return err_set(e, OD_EREFUSED,
		       "The connection to the server %s was refused - did you specify the right host or port?",
		       hostport ? hostport : "");
}

enum od_status status_error_unreachable(enum od_status s, const char *detail, struct err *e)
{
	return err_set(e, s, "Unable to connect to the server: %s", detail ? detail : "unknown error");
}

/*
 * True when body is a prefix of some JSON text: it ends inside a string or
 * with objects or arrays still open, and nothing before that is out of place
 * for the brackets. Where the parser stopped says little: in a string cut
 * short, it stops at the string's opening quote, far from the end.
 */
static bool json_cut_short(const char *body, size_t len)
{
	size_t depth = 0;
	bool in_string = false, escaped = false;

	for (size_t i = 0; i < len; i++) {
		char c = body[i];

		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']') {
			if (depth == 0)
				return false;
			depth--;
		}
	}
	return in_string || depth > 0;
}

enum od_status status_error_bad_json(const char *what, const char *body, size_t len,
				     struct err *e)
{
	const char *end = NULL;
	cJSON *root = NULL;

	if (!body || len == 0)
		return err_set(e, OD_EPARSE, "error: %s: empty response from the server", what);
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (root) {
		cJSON_Delete(root);
		return err_set(e, OD_EPARSE,
			       "error: %s: unexpected response from the server (not the expected object)",
			       what);
	}
	size_t at = (end && end >= body && end <= body + len) ? (size_t)(end - body) : len;
	if (at + 1 >= len || json_cut_short(body, len))
		return err_set(e, OD_EPARSE,
			       "error: %s: truncated JSON from the server (%zu bytes, cut off mid-object)",
			       what, len);
	return err_set(e, OD_EPARSE, "error: %s: malformed JSON from the server at byte %zu of %zu",
		       what, at, len);
}
