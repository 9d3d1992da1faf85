"""The history's preset dictionaries (a typical record of each kind), so that the field names and the usual
values of a finished record cost nothing compressed: the records that are over are compressed together with
them, 32 at a time (``blocks.py``).

Only records that are over (``isActive`` false) are compressed: a live record is replaced at every change, and
compressing it each time would cost the simulation more than the memory saves (measured on the demo tenant's
day: 13 us to compress a task record, 11 us to read it back, against 3 us to parse its JSON).
"""
from __future__ import annotations

_TASK = (b'{"id":"044251db-d0d4-4a67-b992-8faa4cbf131d","status":"ended","channelType":"telephony",'
         b'"createdTime":1767132257206,"endedTime":1767132453719,"lastActivityTime":1767132464292,"isActive":false,'
         b'"origin":"+19195557424","destination":"+19195550103","direction":"inbound","owner":{"id":'
         b'"00d60148-3403-496e-9adf-f786a372c339","name":"Uma Suzuki"},"lastAgent":{"id":'
         b'"00d60148-3403-496e-9adf-f786a372c339","name":"Uma Suzuki"},"lastQueue":{"id":'
         b'"b7fa6c1e-80d0-40f0-beb2-c09c3c81a9b2","name":"Technical Support Voice","duration":0},"previousQueue":'
         b'null,"firstQueueId":"b7fa6c1e-80d0-40f0-beb2-c09c3c81a9b2","firstQueueName":"Technical Support Voice",'
         b'"lastTeam":{"id":"41953055-50ff-496a-b096-73e3dceabb07","name":"Technical Support Dublin"},"lastSite":'
         b'{"id":"25ee5178-77eb-4236-b101-41d6ead2b7aa","name":"Dublin"},"lastEntryPoint":{"id":'
         b'"5b47abc8-0826-450b-ab7c-27452760c6fb","name":"Technical Support Line"},"terminationType":"normal",'
         b'"terminatingEnd":"customer","abandonedType":null,"lastWrapUpCodeId":"d47d9768-1cb0-4db3-929c-c98f85088f19",'
         b'"lastWrapupCodeName":"Resolved","isContactHandled":true,"isContactOffered":true,"isWithInServiceLevel":'
         b'true,"isOutdial":false,"isCallback":false,"isCampaign":false,"campaignId":null,"isMonitored":false,'
         b'"captureRequested":false,"outdialType":null,"totalDuration":207086,"attributes":{},"selfserviceDuration":'
         b'6184,"queueDuration":0,"ringingDuration":3569,"connectedDuration":186760,"holdDuration":0,'
         b'"consultDuration":0,"conferenceDuration":0,"wrapupDuration":10573,"queueCount":1,"holdCount":0,'
         b'"connectedCount":1,"consultCount":0,"conferenceCount":0,"transferCount":0,"blindTransferCount":0,'
         b'"overflowCount":0,"pausedCount":0,"resumedCount":0,"recordingCount":0}')
_SESSION = (b'{"agentSessionId":"00a81de9-d20f-47d0-8465-6d6b81fb18b3",'
            b'"agentId":"86a7a82f-8e4f-4160-a608-c0c138966201",'
            b'"agentName":"Elena Roberts","userLoginId":"elena.roberts@acme.example","agentSignOutReason":'
            b'"End of shift","isActive":false,"startTime":1767132000000,"endTime":1767218400000,"state":"logged_out",'
            b'"siteId":"0029b104-64ca-4774-91eb-63f8c6c86a00","siteName":"Manila","teamId":'
            b'"434f6044-891b-4292-a6f6-b28ce9a45bdf","teamName":"Customer Support Manila","orgId":'
            b'"f222c4e4-0b5a-4a5e-9e2c-8d3b6d0b1a01","channelInfo":[{"channelId":"bf0d073d-821c-4336-9970-cf60ebff8d15",'
            b'"channelType":"telephony","currentState":"logged_out","idleCodeName":null,"agentPhoneNumber":'
            b'"+632855511962","totalDuration":86400000,"lastActivityTime":1767132000000,"idleCount":1,"idleDuration":0,'
            b'"availableCount":1,"availableDuration":86400000,"ringingCount":0,"ringingDuration":0,"connectedCount":0,'
            b'"connectedDuration":0,"holdCount":0,"holdDuration":0,"wrapupCount":0,"wrapupDuration":0,'
            b'"notRespondedCount":0,"transferCount":0,"offeredCount":0,"acceptedCount":0,"rejectedCount":0,'
            b'"assignedCount":0}]}')
DICTIONARIES = {"task": _TASK, "agentSession": _SESSION}
