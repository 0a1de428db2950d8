-- wrk script for bench/http.py: one fixed orientation request (a fictitious patient).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"adresse": "67300 Schiltigheim", "cancer": "sein", "age": 54, ' ..
           '"soins": ["psychologie"], "limite": 5}'
