#!/usr/bin/env bash
# Carries one NEW (新办) case across two provinces with curl, as the demo users, against a running
# server: residence 杭州市西湖区 (Zhejiang), hukou 郑州市金水区 (Henan). The applicant is a child, so
# no publicity is needed (NEW-4) and the whole flow fits in one day.
# Usage: npm start (in another terminal), then: bash scripts/walkthrough.sh [http://localhost:3000]
# Any step the server refuses stops the script with a non-zero exit code (CI runs it: .ci/run).
set -euo pipefail
BASE=${1:-http://localhost:3000}
PASSWORD=Tongban2026
JARS=$(mktemp -d)
trap 'rm -rf "$JARS"' EXIT

json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);console.log($1)})"; }
login() { curl -sf -c "$JARS/$1" -H 'x-tongban-client: curl' -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/api/auth/login" >/dev/null; }
as() { local user=$1; shift; curl -s -b "$JARS/$user" -H 'x-tongban-client: curl' -H 'content-type: application/json' "$@"; }
act() { # act USER CASE ACTION INPUT-JSON — prints the transition; a refusal prints the error and stops the walk
  local version
  version=$(as "$1" "$BASE/api/cases/$2" | json 'v.version')
  as "$1" -H "idempotency-key: walk-$2-$3-$version" -d "{\"expectedVersion\":$version,\"input\":$4}" "$BASE/api/cases/$2/actions/$3" \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{let v;try{v=JSON.parse(s)}catch{v={error:s}}
      if(!v.action){console.error('  $3 REFUSED: '+JSON.stringify(v.error??v));process.exit(1)}
      console.log('  '+v.action+': '+v.from+' → '+v.to)})"
}
# upload USER CASE MATERIAL-CODE — a one-page PDF standing in for the scanned paper (each one distinct)
upload() {
  node -e "
    const note=require('crypto').randomBytes(6).toString('hex');
    const objs=['<< /Type /Catalog /Pages 2 0 R >>','<< /Type /Pages /Kids [3 0 R] /Count 1 >>','<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Note ('+note+') >>'];
    let out='%PDF-1.4\\n';const at=objs.map((o,i)=>{const p=out.length;out+=(i+1)+' 0 obj\\n'+o+'\\nendobj\\n';return p});
    const x=out.length;out+='xref\\n0 '+(objs.length+1)+'\\n0000000000 65535 f \\n'+at.map(o=>String(o).padStart(10,'0')+' 00000 n \\n').join('');
    out+='trailer\\n<< /Size '+(objs.length+1)+' /Root 1 0 R >>\\nstartxref\\n'+x+'\\n%%EOF\\n';
    require('fs').writeFileSync('$JARS/scan.pdf',Buffer.from(out,'latin1'));"
  curl -s -b "$JARS/$1" -H 'x-tongban-client: curl' -F "materialCode=$3" -F "file=@$JARS/scan.pdf;type=application/pdf;filename=$3.pdf" "$BASE/api/cases/$2/documents" \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s);
      if(!v.id){console.error('  upload REFUSED: '+JSON.stringify(v.error??v));process.exit(1)}
      console.log('  uploaded $3 ('+v.size+' bytes)')})"
}
# a valid citizen ID (GB 11643 check digit) for a child born 10 years ago in 金水区
citizen_id() { node -e "
  const y=new Date().getFullYear()-10, s='410105'+y+'0601'+String(100+Math.floor(Math.random()*800)).padStart(3,'0');
  const w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; const sum=[...s].reduce((a,c,i)=>a+Number(c)*w[i],0);
  console.log(s+'10X98765432'[sum%11]);"; }

for u in xihu.clerk xihu.doctor jinshui.approver jinshui.clerk; do login "$u"; done
ID=$(citizen_id)
echo "1. 西湖区办证员 files a NEW application for $ID (hukou 金水区, residence 西湖区)"
CASE=$(as xihu.clerk -d "{
  \"matter\":\"new\",
  \"applicant\":{\"idNumber\":\"$ID\",\"name\":\"演示儿童\",\"phone\":\"13800138000\",\"address\":\"杭州市西湖区北山街道\"},
  \"guardian\":{\"idNumber\":\"11010519491231002X\",\"name\":\"演示家长\",\"phone\":\"13900139000\",\"relation\":\"父亲\"},
  \"residenceCode\":\"330106002052\",\"hukouCode\":\"410105001003\",\"categories\":[2],
  \"materialsProvided\":[\"photos\",\"id_and_hukou\",\"guardian_proof\",\"residence_permit\"],
  \"delivery\":{\"method\":\"courier\",\"address\":\"杭州市西湖区北山街道\"}}" "$BASE/api/cases" | json 'v.id')
[[ "$CASE" =~ ^[0-9a-f-]{36}$ ]] || { echo "   the application was refused" >&2; exit 1; }
echo "   case $CASE"
INST=$(as xihu.clerk "$BASE/api/org-units?kind=institution" | json 'v[0].id')
echo "2. accept and name the institution";            act xihu.clerk "$CASE" accept "{\"institutionId\":\"$INST\"}"
echo "3. the doctor uploads the signed, stamped assessment form (ASMT-2) and records the result"
upload xihu.doctor "$CASE" assessment_form
act xihu.doctor "$CASE" record_assessment "{\"qualified\":true,\"disabilities\":[{\"category\":2,\"level\":2}],\"assessedOn\":\"$(TZ=Asia/Shanghai date +%F)\"}"
echo "4. a minor: no publicity, send to 金水区";        act xihu.clerk "$CASE" forward_to_hukou '{}'
echo "5. 金水区 approves (photo from data sharing)";    act jinshui.approver "$CASE" approve '{"photoOnFile":true}'
echo "6. print, ship, deliver";                       act jinshui.clerk "$CASE" print '{}'
act jinshui.clerk "$CASE" ship '{"method":"courier","courier":"EMS","trackingNo":"EMS1234567890CN"}'
act jinshui.clerk "$CASE" mark_delivered '{"receivedBy":"家长"}'
echo "7. the history:"
as xihu.clerk "$BASE/api/cases/$CASE/history" | json 'v.map(e=>`  ${e.at.slice(0,19)} ${e.actor.name.padEnd(12)} ${e.actionLabel.zh} (${e.to})`).join("\n")'
echo "8. the certificate (masked):"
as xihu.clerk "$BASE/api/cases/$CASE" | json 'JSON.stringify(v.data.certificate)'
echo "9. jurisdiction: a case kept inside 金水区 does not exist for the 西湖区 clerk"
OTHER_ID=$(citizen_id)
OTHER=$(as jinshui.clerk -d "{\"matter\":\"new\",\"applicant\":{\"idNumber\":\"$OTHER_ID\",\"name\":\"金水居民\",\"phone\":\"13800138001\"},
  \"guardian\":{\"idNumber\":\"11010519491231002X\",\"name\":\"家长\",\"phone\":\"13900139001\",\"relation\":\"母亲\"},
  \"residenceCode\":\"410105001003\",\"hukouCode\":\"410105001003\",\"categories\":[4]}" "$BASE/api/cases" | json 'v.id')
status() { as "$1" -o /dev/null -w '%{http_code}' "$BASE/api/cases/$OTHER"; }
XIHU_SEES=$(status xihu.clerk); JINSHUI_SEES=$(status jinshui.clerk)
echo "  西湖区 GET /api/cases/$OTHER → $XIHU_SEES"
echo "  金水区 GET /api/cases/$OTHER → $JINSHUI_SEES"
[[ $XIHU_SEES == 404 && $JINSHUI_SEES == 200 ]] || { echo "  expected 404 and 200" >&2; exit 1; }
echo "10. the audit chain, checked by the admin (stop the server and run npm run cli -- audit-verify for the same from the shell):"
login admin
as admin "$BASE/api/audit/verify" | json '`  as admin: ${v.broken.length ? "TAMPERED" : "intact"} — ${v.chains} chains, ${v.entries} entries`'
