-- After the load: every change the load logged has exactly one audit row,
-- every audit row of the load's accounts is a logged change, each
-- account's password is the last one logged (no lost update), and a
-- reset's token was spent exactly when its change was logged.
\pset footer off
-- Counted per account and action on both sides, so a change logged twice
-- needs two audit rows.
SELECT 'logged changes without their audit row' AS problem, coalesce(sum(l.n), 0) AS rows
FROM (SELECT resource, resource_id, action, count(*) AS n FROM load.changes GROUP BY 1, 2, 3) AS l
LEFT JOIN (SELECT resource, resource_id, action, count(*) AS n FROM pwupdate.audit GROUP BY 1, 2, 3) AS a
	USING (resource, resource_id, action)
WHERE a.n IS DISTINCT FROM l.n
UNION ALL
SELECT 'audit rows without a logged change', count(*)
FROM pwupdate.audit a
WHERE a.action IN ('patch', 'put', 'change_password', 'update', 'reset_password')
  AND (a.resource_id IN (SELECT sid::text FROM load.logins) OR a.resource_id IN (SELECT user_id FROM load.users)
	   OR a.resource_id IN (SELECT info_id::text FROM load.infos)
	   OR a.resource_id IN (SELECT customer_id FROM load.resets))
  AND NOT EXISTS (SELECT FROM load.changes c
				  WHERE c.resource = a.resource AND c.resource_id = a.resource_id AND c.action = a.action)
UNION ALL
SELECT 'logins whose password is not the last one logged', count(*)
FROM load.logins l
WHERE NOT pwupdate.verify_password('load passphrase ' ||
	coalesce((SELECT c.n FROM load.changes c WHERE c.resource_id = l.sid::text ORDER BY c.id DESC LIMIT 1), 0),
	(SELECT password_hash FROM pwupdate.partner_login p WHERE p.login_sid = l.sid))
UNION ALL
SELECT 'users whose password is not the last one logged', count(*)
FROM load.users u
WHERE NOT pwupdate.verify_password('load passphrase ' ||
	coalesce((SELECT c.n FROM load.changes c WHERE c.resource_id = u.user_id ORDER BY c.id DESC LIMIT 1), 0),
	(SELECT password_hash FROM pwupdate.user_account a WHERE a.user_id = u.user_id))
UNION ALL
SELECT 'password profile infos whose password is not the last one logged', count(*)
FROM load.infos i
WHERE NOT pwupdate.verify_password('load passphrase ' ||
	coalesce((SELECT c.n FROM load.changes c WHERE c.resource_id = i.info_id::text ORDER BY c.id DESC LIMIT 1), 0),
	(SELECT password_hash FROM pwupdate.password_profile_info p WHERE p.id = i.info_id))
UNION ALL
-- Customers start without a password: one without a logged reset must
-- still have none (IS NOT TRUE, since verify_password of NULL is NULL).
SELECT 'customers whose password is not the last one logged', count(*)
FROM load.resets r
JOIN pwupdate.customer cu ON cu.id = r.customer_id
LEFT JOIN LATERAL (SELECT c.n FROM load.changes c WHERE c.resource_id = r.customer_id
				   ORDER BY c.id DESC LIMIT 1) AS last ON true
WHERE CASE WHEN last.n IS NULL THEN cu.password_hash IS NOT NULL
		   ELSE pwupdate.verify_password('load passphrase ' || last.n, cu.password_hash) IS NOT TRUE END
UNION ALL
-- A token is spent exactly when its change commits: a reset marked used in
-- the pool, a reset with reset_password_at set and a logged reset of its
-- customer go together, with one change per reset (one reset per customer).
SELECT 'pool resets marked used whose token is unspent or whose change is not logged once', count(*)
FROM load.resets r
JOIN pwupdate.customer_password_reset cpr ON cpr.id = r.reset_id
WHERE r.used
  AND (cpr.reset_password_at IS NULL
	   OR (SELECT count(*) FROM load.changes c
		   WHERE c.resource = 'customer' AND c.resource_id = r.customer_id AND c.action = 'reset_password') <> 1)
UNION ALL
SELECT 'spent resets not marked used in the pool or without a logged change', count(*)
FROM pwupdate.customer_password_reset cpr
LEFT JOIN load.resets r ON r.reset_id = cpr.id
WHERE cpr.reset_password_at IS NOT NULL
  AND (r.used IS NOT TRUE
	   OR NOT EXISTS (SELECT FROM load.changes c
					  WHERE c.resource = 'customer' AND c.resource_id = cpr.customer_id AND c.action = 'reset_password'))
UNION ALL
SELECT 'logged resets whose reset is not spent', count(*)
FROM load.changes c
WHERE c.resource = 'customer' AND c.action = 'reset_password'
  AND NOT EXISTS (SELECT FROM pwupdate.customer_password_reset cpr
				  WHERE cpr.customer_id = c.resource_id AND cpr.reset_password_at IS NOT NULL)
UNION ALL
-- Only a password change of its customer voids a reset, and the only one
-- the load makes is through the reset itself.
SELECT 'pool resets voided', count(*)
FROM load.resets r
JOIN pwupdate.customer_password_reset cpr ON cpr.id = r.reset_id
WHERE cpr.voided_at IS NOT NULL
UNION ALL
-- The joins above would pass over a reset that is gone.
SELECT 'pool resets missing', count(*)
FROM load.resets r
WHERE NOT EXISTS (SELECT FROM pwupdate.customer_password_reset cpr WHERE cpr.id = r.reset_id);
