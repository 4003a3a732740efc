"""Streamlit glue shared by the pages; computation stays in ``digitlib``.

Every page: ``site_map`` (the pages, listed once), ``frame`` (page set-up, sidebar, errors), ``page_language``
(the language a page speaks: ``?lang=``, the browser's, the sidebar's choice),
``url_params`` (values read from the URL, checked), ``settings`` (every setting in the URL, "Copy link"),
``resources`` (what sessions share and what one remembers), ``code_panel`` ("The code", downloads),
``warm_up`` (what a fresh server prepares in the background so that the first pages and strokes answer at once).

Train: ``training``, ``learning_curve``, ``sampling_comparison``, ``support_vector_view``.
Evaluate: ``confusion_picker``, ``pinning``, ``thumbnails``.
Draw: ``canvas``, ``drawing``, ``drawing_details``, ``class_saving``, and the photo and number views.
Our class: ``class_session``, ``cookies``, ``class_data``, ``class_admin``, ``class_board``, ``class_guess``,
``class_handwriting``, ``class_mixed``. Neural: ``neural``.
Access (issue 19): ``keyboard`` (focus rings, the confusion matrix by keyboard), ``spoken`` (what a screen reader
says: the prediction, the canvas), ``motion`` (reduced motion), ``stand_in`` (a test image instead of a drawing).
"""
