"""A storefront whose search needs py-index-it (Rebound's feature map in the test settings):
it asks is_enabled("search") before every search, falls back to browsing while it is off,
and prints every change the callback hears. Stops on SIGTERM."""
import signal
import threading
import time

from rebound_client import Rebound

rebound = Rebound(heartbeat_interval=0.3, degradation_interval=0.2, kind="storefront-py", control=False)


@rebound.on_feature_change
def changed(feature, enabled, why):
    print("feature %s %s %s" % (feature, "on" if enabled else "off", "; ".join(why)), flush=True)


stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
last = None
while not stop.is_set():
    path = "search" if rebound.is_enabled("search") else "browse fallback"
    if path != last:
        print("serving with", path, flush=True)
        last = path
    time.sleep(0.05)
rebound.close()
