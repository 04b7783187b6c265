/*
 * sim_pb.h: the little protobuf the sim must read. kubectl sends typed
 * objects as application/vnd.kubernetes.protobuf (auth can-i posts a
 * SelfSubjectAccessReview that way, kubectl create namespace a Namespace);
 * the sim decodes the few kinds involved into JSON and answers in JSON,
 * which kubectl accepts.
 */
#ifndef OPSDECK_SIM_PB_H
#define OPSDECK_SIM_PB_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
 * Decodes a "k8s\0"-framed runtime.Unknown holding a SelfSubjectAccessReview
 * or SelfSubjectRulesReview. Returns a new JSON object, or NULL when the
 * bytes are not such a message.
 */
cJSON *sim_pb_decode_review(const unsigned char *data, size_t len);

/*
 * Decodes any framed object the sim understands in protobuf: the reviews,
 * and Namespace, ConfigMap, Secret and ServiceAccount (what kubectl create
 * sends typed). NULL for other kinds: the caller answers 415.
 */
cJSON *sim_pb_decode_object(const unsigned char *data, size_t len);

#endif
