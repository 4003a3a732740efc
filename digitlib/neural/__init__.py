"""A small convolutional neural network beside the SVM, with TensorFlow kept out of the app server.

* ``spec``: what decides a trained network (sample, passes over it, augmentation) and its cache key.
* ``architecture``: the layers, described once for Keras (in the worker) and for numpy (here).
* ``forward``: the trained network's predictions in plain numpy, so the server never imports TensorFlow.
* ``files``: trained networks on disk (Keras file, weights, predictions, metadata), read safely.
* ``budget``: whether this machine can afford a TensorFlow worker (``DIGITS_NEURAL_MEMORY_MB``).
* ``worker``: the separate process that imports TensorFlow and trains, started on demand.
* ``worker_process``: one running worker seen from the app: pipes, events, a watchdog.
* ``service``: the app's side of that worker: one training per setting, progress, the queue.
* ``job_errors``: why a training failed, as Messages translated for whoever reads them.
* ``augment``: small random shifts, rotations and stroke widths for the training images.
"""
