/*
 * storage.c: PersistentVolumeClaim binding and VolumeSnapshot readiness,
 * standing in for the external provisioner and the snapshot controller.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_storage.h"

#define DEFAULT_BIND_MS 1000
#define DEFAULT_SNAPSHOT_MS 2000

static const char *driver_for(const char *storage_class)
{
	if (storage_class && strstr(storage_class, "longhorn"))
		return "driver.longhorn.io";
	return "sim.csi.opsdeck.io";
}

/* The VolumeSnapshot a PVC restores from, when its dataSource names one. */
static struct sim_obj *pvc_source_snapshot(struct sim *s, const cJSON *pvc, bool *wants)
{
	const cJSON *ds = sim_json_get(pvc, "spec.dataSource");
	if (!ds)
		ds = sim_json_get(pvc, "spec.dataSourceRef");
	*wants = ds && strcmp(sim_json_str_or(ds, "kind", ""), "VolumeSnapshot") == 0;
	if (!*wants)
		return NULL;
	return sim_store_get(s->store, SIM_RES_VOLUMESNAPSHOTS,
			     sim_json_str_or(pvc, "metadata.namespace", ""), sim_json_str_or(ds, "name", ""));
}

static void pvc_bind(struct sim *s, struct sim_obj *pvc)
{
	char pvname[80], ns[64], name[254], ts[TIME_RFC3339_MAX];
	const cJSON *p = pvc->json;
	bool wants_snap;
	int64_t created, now = sim_ctrl_now_ms(s, p);

	if (strcmp(sim_json_str_or(p, "status.phase", "Pending"), "Pending") != 0 ||
	    sim_json_get(p, "metadata.deletionTimestamp"))
		return;
	struct sim_obj *snap = pvc_source_snapshot(s, p, &wants_snap);
	if (wants_snap && (!snap || !sim_json_bool(snap->json, "status.readyToUse", false)))
		return;
	if (sim_ctrl_time_ms(p, "metadata.creationTimestamp", &created) &&
	    now < created + sim_ctrl_delay_ms(s, NULL, "bindDelay", DEFAULT_BIND_MS))
		return;
	snprintf(ns, sizeof(ns), "%s", pvc->ns);
	snprintf(name, sizeof(name), "%s", pvc->name);
	const char *uid = sim_json_str_or(p, "metadata.uid", "");
	snprintf(pvname, sizeof(pvname), "pvc-%s", uid);
	const char *size = sim_json_str_or(p, "spec.resources.requests.storage", "1Gi");
	char scbuf[254];
	const char *sc = NULL;
	if (sim_json_str(p, "spec.storageClassName")) {
		snprintf(scbuf, sizeof(scbuf), "%s", sim_json_str(p, "spec.storageClassName"));
		sc = scbuf;
	}
	const cJSON *modes = sim_json_get(p, "spec.accessModes");

	if (!sim_store_get(s->store, SIM_RES_PVS, NULL, pvname)) {
		cJSON *pv = cJSON_CreateObject();
		cJSON_AddStringToObject(pv, "apiVersion", "v1");
		cJSON_AddStringToObject(pv, "kind", "PersistentVolume");
		cJSON *meta = cJSON_AddObjectToObject(pv, "metadata");
		cJSON_AddStringToObject(meta, "name", pvname);
		cJSON *ann = cJSON_AddObjectToObject(meta, "annotations");
		cJSON_AddStringToObject(ann, "pv.kubernetes.io/provisioned-by", driver_for(sc));
		cJSON_AddItemToArray(cJSON_AddArrayToObject(meta, "finalizers"),
				     cJSON_CreateString("kubernetes.io/pv-protection"));
		if (s->building)
			cJSON_AddStringToObject(meta, "creationTimestamp",
						sim_json_str_or(p, "metadata.creationTimestamp", ""));
		cJSON *spec = cJSON_AddObjectToObject(pv, "spec");
		cJSON_AddStringToObject(cJSON_AddObjectToObject(spec, "capacity"), "storage", size);
		cJSON_AddItemToObject(spec, "accessModes", modes ? cJSON_Duplicate(modes, 1) : cJSON_CreateArray());
		cJSON *ref = cJSON_AddObjectToObject(spec, "claimRef");
		cJSON_AddStringToObject(ref, "apiVersion", "v1");
		cJSON_AddStringToObject(ref, "kind", "PersistentVolumeClaim");
		cJSON_AddStringToObject(ref, "namespace", ns);
		cJSON_AddStringToObject(ref, "name", name);
		cJSON_AddStringToObject(ref, "uid", uid);
		cJSON_AddStringToObject(spec, "persistentVolumeReclaimPolicy", "Delete");
		if (sc)
			cJSON_AddStringToObject(spec, "storageClassName", sc);
		cJSON_AddStringToObject(spec, "volumeMode", sim_json_str_or(p, "spec.volumeMode", "Filesystem"));
		cJSON *csi = cJSON_AddObjectToObject(spec, "csi");
		cJSON_AddStringToObject(csi, "driver", driver_for(sc));
		cJSON_AddStringToObject(csi, "volumeHandle", pvname);
		cJSON_AddStringToObject(csi, "fsType", "ext4");
		cJSON *st = cJSON_AddObjectToObject(pv, "status");
		cJSON_AddStringToObject(st, "phase", "Bound");
		sim_ctrl_ts(now, ts, sizeof(ts));
		cJSON_AddStringToObject(st, "lastPhaseTransitionTime", ts);
		sim_store_create(s->store, SIM_RES_PVS, pv, NULL, NULL);
	}
	pvc = sim_store_get(s->store, SIM_RES_PVCS, ns, name);
	if (!pvc)
		return;
	cJSON *next = cJSON_Duplicate(pvc->json, 1);
	sim_json_set_str(next, "spec.volumeName", pvname);
	sim_json_set_annotation(next, "pv.kubernetes.io/bind-completed", "yes");
	sim_json_set_annotation(next, "pv.kubernetes.io/bound-by-controller", "yes");
	sim_json_set_annotation(next, "volume.beta.kubernetes.io/storage-provisioner", driver_for(sc));
	sim_json_set_annotation(next, "volume.kubernetes.io/storage-provisioner", driver_for(sc));
	sim_json_set_str(next, "status.phase", "Bound");
	sim_json_set(next, "status.accessModes", modes ? cJSON_Duplicate(modes, 1) : cJSON_CreateArray());
	sim_json_set_str(next, "status.capacity.storage", size);
	sim_ctrl_commit(s, pvc, next);
	pvc = sim_store_get(s->store, SIM_RES_PVCS, ns, name);
	if (pvc)
		sim_ctrl_event(s, pvc->json, "Normal", "ProvisioningSucceeded", driver_for(sc), NULL, NULL,
			       "Successfully provisioned volume %s", pvname);
}

static struct sim_obj *default_snapshot_class(struct sim *s)
{
	struct sim_obj **cls;
	size_t n = sim_store_list(s->store, SIM_RES_VOLUMESNAPSHOTCLASSES, NULL, &cls);
	for (size_t i = 0; i < n; i++) {
		const char *d = sim_json_annotation(cls[i]->json, "snapshot.storage.kubernetes.io/is-default-class");
		if (d && strcmp(d, "true") == 0)
			return cls[i];
	}
	return NULL;
}

static void snapshot_error(struct sim *s, struct sim_obj *vs, const char *msg)
{
	char ts[TIME_RFC3339_MAX];
	if (sim_json_str(vs->json, "status.error.message") &&
	    strcmp(sim_json_str(vs->json, "status.error.message"), msg) == 0)
		return;
	cJSON *next = cJSON_Duplicate(vs->json, 1);
	sim_ctrl_ts(sim_ctrl_now_ms(s, vs->json), ts, sizeof(ts));
	sim_json_set_str(next, "status.error.message", msg);
	sim_json_set_str(next, "status.error.time", ts);
	sim_json_set_bool(next, "status.readyToUse", false);
	sim_ctrl_commit(s, vs, next);
	sim_ctrl_event(s, vs->json, "Warning", "SnapshotContentCreationFailed", "snapshot-controller",
		       NULL, NULL, "%s", msg);
}

static void snapshot_step(struct sim *s, struct sim_obj *vs)
{
	char msg[600], content[80], ts[TIME_RFC3339_MAX];
	const cJSON *v = vs->json;
	int64_t created, now = sim_ctrl_now_ms(s, v);
	if (sim_json_bool(v, "status.readyToUse", false) || sim_faults_snapshot_step(s, vs))
		return;
	const char *cls = sim_json_str(v, "spec.volumeSnapshotClassName");
	struct sim_obj *klass = cls ? sim_store_get(s->store, SIM_RES_VOLUMESNAPSHOTCLASSES, NULL, cls)
				    : default_snapshot_class(s);
	if (!klass) {
		if (cls)
			snprintf(msg, sizeof(msg),
				 "Failed to get snapshot class with error volumesnapshotclass.snapshot.storage.k8s.io \"%s\" not found", cls);
		else
			snprintf(msg, sizeof(msg),
				 "Failed to set default snapshot class with error cannot find default snapshot class");
		snapshot_error(s, vs, msg);
		return;
	}
	const char *claim = sim_json_str(v, "spec.source.persistentVolumeClaimName");
	struct sim_obj *pvc = claim ? sim_store_get(s->store, SIM_RES_PVCS, vs->ns, claim) : NULL;
	if (claim && !pvc) {
		snprintf(msg, sizeof(msg),
			 "failed to get input parameters to create snapshot %s: \"failed to retrieve PVC %s from the lister: \\\"persistentvolumeclaim \\\\\\\"%s\\\\\\\" not found\\\"\"",
			 vs->name, claim, claim);
		snapshot_error(s, vs, msg);
		return;
	}
	if (pvc && strcmp(sim_json_str_or(pvc->json, "status.phase", ""), "Bound") != 0)
		return;
	snprintf(content, sizeof(content), "snapcontent-%s", sim_json_str_or(v, "metadata.uid", ""));
	cJSON *next = cJSON_Duplicate(v, 1);
	if (!cls)
		sim_json_set_str(next, "spec.volumeSnapshotClassName", klass->name);
	sim_json_set_str(next, "status.boundVolumeSnapshotContentName", content);
	sim_json_remove(next, "status.error");
	if (!sim_ctrl_time_ms(v, "metadata.creationTimestamp", &created))
		created = now;
	sim_ctrl_ts(created, ts, sizeof(ts));
	sim_json_set_str(next, "status.creationTime", ts);
	bool ready = now >= created + sim_ctrl_delay_ms(s, NULL, "snapshotDelay", DEFAULT_SNAPSHOT_MS);
	sim_json_set_bool(next, "status.readyToUse", ready);
	if (ready)
		sim_json_set_str(next, "status.restoreSize",
				 pvc ? sim_json_str_or(pvc->json, "status.capacity.storage",
						       sim_json_str_or(pvc->json, "spec.resources.requests.storage", "1Gi"))
				     : "1Gi");
	if (!sim_json_get(next, "metadata.finalizers")) {
		cJSON *f = cJSON_CreateArray();
		cJSON_AddItemToArray(f, cJSON_CreateString("snapshot.storage.kubernetes.io/volumesnapshot-as-source-protection"));
		cJSON_AddItemToArray(f, cJSON_CreateString("snapshot.storage.kubernetes.io/volumesnapshot-bound-protection"));
		sim_json_set(next, "metadata.finalizers", f);
	}
	bool was_bound = sim_json_str(v, "status.boundVolumeSnapshotContentName") != NULL;
	sim_ctrl_commit(s, vs, next);
	if (!was_bound)
		sim_ctrl_event(s, vs->json, "Normal", "CreatingSnapshot", "snapshot-controller", NULL, NULL,
			       "Waiting for a snapshot %s/%s to be created by the CSI driver.", vs->ns, vs->name);
	if (ready)
		sim_ctrl_event(s, vs->json, "Normal", "SnapshotReady", "snapshot-controller", NULL, NULL,
			       "Snapshot %s/%s is ready to use.", vs->ns, vs->name);
}

void sim_storage_reconcile(struct sim *s)
{
	struct sim_keys k;
	sim_ctrl_keys(s, SIM_RES_VOLUMESNAPSHOTS, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, SIM_RES_VOLUMESNAPSHOTS, k.v[i].ns, k.v[i].name);
		if (o && !sim_is_verbatim(s, o->json))
			snapshot_step(s, o);
	}
	sim_ctrl_keys_free(&k);
	sim_ctrl_keys(s, SIM_RES_PVCS, NULL, &k);
	for (size_t i = 0; i < k.n; i++) {
		struct sim_obj *o = sim_store_get(s->store, SIM_RES_PVCS, k.v[i].ns, k.v[i].name);
		if (o && !sim_is_verbatim(s, o->json))
			pvc_bind(s, o);
	}
	sim_ctrl_keys_free(&k);
}
