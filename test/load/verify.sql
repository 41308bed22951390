-- After the load: every change the load logged has exactly one audit row,
-- every audit row of the load's accounts is a logged change, and each
-- account's password is the last one logged (no lost update).
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
WHERE a.action IN ('patch', 'put', 'change_password', 'update')
  AND (a.resource_id IN (SELECT sid::text FROM load.logins) OR a.resource_id IN (SELECT user_id FROM load.users)
	   OR a.resource_id IN (SELECT info_id::text FROM load.infos))
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
	(SELECT password_hash FROM pwupdate.password_profile_info p WHERE p.id = i.info_id));
