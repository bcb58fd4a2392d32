;;; eglot.el --- Drives lync-kst's language server from Emacs 28 with eglot 1.9 (Debian 12's)  -*- lexical-binding: t -*-
;;
;; The way a user would: eglot on the example's topology and dial plan, the diagnostics, a hover,
;; the preferred code action applied as eglot applies edits, the files saved. Writes what it saw
;; as JSON to $LYNC_KST_RESULT for test/editors.test.ts, which checks it and the files on disk.
(require 'eglot)
(require 'json)
(require 'nxml-mode)

(defvar lk-server (getenv "LYNC_KST_SERVER"))
(defvar lk-root (file-name-as-directory (getenv "LYNC_KST_WORKSPACE")))
(defvar lk-result (getenv "LYNC_KST_RESULT"))
(defvar lk-seen nil "Alist of what was seen, newest first.")

(add-to-list 'eglot-server-programs `((nxml-mode js-mode) . ("node" ,lk-server "--stdio")))
(setq eglot-sync-connect t eglot-connect-timeout 60 eglot-autoshutdown nil)

(defun lk-step (name &optional value) (push (cons name value) lk-seen))

(defun lk-finish (err)
  (with-temp-file lk-result
    (insert (json-encode `((error . ,err)
                           (steps . ,(vconcat (reverse (mapcar (lambda (s) (symbol-name (car s))) lk-seen))))
                           ,@(reverse lk-seen)))))
  (kill-emacs (if err 1 0)))

(defun lk-wait (seconds what pred)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall pred) (error "Timed out waiting for %s" what))))

(defun lk-diags (buffer)
  "The eglot diagnostics of BUFFER, reported to Flymake or kept for it."
  (with-current-buffer buffer
    (or (and (bound-and-true-p flymake-mode) (flymake-diagnostics)) eglot--diagnostics)))

(defun lk-codes (buffer)
  (mapcar (lambda (d) (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :code)) (lk-diags buffer)))

(condition-case err
    (let* ((topology (find-file-noselect (expand-file-name "topology.xml" lk-root)))
           (plans (find-file-noselect (expand-file-name "contoso.umdialplans.json" lk-root)))
           server)
      (with-current-buffer topology
        (apply #'eglot (eglot--guess-contact))
        (setq server (eglot-current-server)))
      (with-current-buffer plans (eglot--maybe-activate-editing-mode))
      (lk-wait 60 "KST001 on the topology and the dial plan"
               (lambda () (and (member "KST001" (lk-codes topology)) (member "KST001" (lk-codes plans)))))
      (lk-step 'kst001 `((topology . ,(vconcat (lk-codes topology))) (plans . ,(vconcat (lk-codes plans)))))

      (with-current-buffer topology
        (goto-char (point-min))
        (re-search-forward "<Cluster [^>]*Fqdn=\"\\(ex1\\.contoso\\.com\\)\"")
        (goto-char (+ (match-beginning 1) 2))
        (let ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
          (lk-step 'hover (plist-get (plist-get hover :contents) :value)))
        (let* ((diag (seq-find (lambda (d) (equal "KST001" (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :code)))
                               (lk-diags topology)))
               (spec (alist-get 'eglot-lsp-diag (flymake-diagnostic-data diag)))
               (actions (jsonrpc-request server :textDocument/codeAction
                                         (list :textDocument (eglot--TextDocumentIdentifier)
                                               :range (plist-get spec :range)
                                               :context (list :diagnostics (vector spec)))))
               (preferred (seq-find (lambda (a) (eq t (plist-get a :isPreferred))) actions)))
          (lk-step 'actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
          (unless preferred (error "No preferred code action"))
          (when (and (not (plist-get preferred :edit)) (plist-get preferred :data))
            (setq preferred (jsonrpc-request server :codeAction/resolve preferred)))
          ;; As eglot applies a code action: the edit (the user says yes to editing a file not open), then the command.
          (cl-letf (((symbol-function 'y-or-n-p) (lambda (&rest _) t)))
            (eglot--apply-workspace-edit (plist-get preferred :edit)))
          (let ((command (plist-get preferred :command)))
            (when command (eglot-execute-command server (plist-get command :command) (plist-get command :arguments))))
          (save-some-buffers t)
          (lk-step 'applied (plist-get preferred :title))))

      (lk-wait 60 "KST001 gone after the fix"
               (lambda () (and (not (member "KST001" (lk-codes topology))) (not (member "KST001" (lk-codes plans))))))
      (lk-step 'clean `((topology . ,(vconcat (lk-codes topology))) (plans . ,(vconcat (lk-codes plans)))))
      (lk-finish nil))
  (error (lk-finish (error-message-string err))))
